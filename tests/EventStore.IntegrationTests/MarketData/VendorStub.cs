using System.Globalization;
using System.Net;
using System.Net.Sockets;
using EventStore.IntegrationTests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace EventStore.IntegrationTests.MarketData;

/// <summary>
/// Stands in for the market-data vendor (Alpha Vantage's GLOBAL_QUOTE), which is outside our walls and unreachable
/// from here: a real HTTP server on 127.0.0.1 answering what each test scripts, and counting what it was asked.
/// </summary>
public sealed class VendorStub : IDisposable
{
    private readonly WireMockServer _server;
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Signal _arrived = new();
    private int _arrivals;

    public VendorStub()
    {
        _server = WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://127.0.0.1:{FreePort()}"] });
        Url = $"http://127.0.0.1:{_server.Port}";
    }

    public string Url { get; }

    public int Requests => _server.LogEntries.Count;

    /// <summary>Requests that reached <see cref="HangFirstThen"/>'s mapping, counted on arrival (the log counts on answer).</summary>
    public int Arrivals => Volatile.Read(ref _arrivals);

    public IEnumerable<string> Queries => _server.LogEntries.Select(e => e.RequestMessage.Url);

    public static string QuoteBody(string symbol, decimal price) => $$$"""
        {"Global Quote": {"01. symbol": "{{{symbol}}}", "02. open": "120.0000", "05. price": "{{{price.ToString("0.0000", CultureInfo.InvariantCulture)}}}",
          "07. latest trading day": "2026-11-20", "10. change percent": "0.5000%"}}
        """;

    public static IResponseBuilder Ok(string body) =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body);

    public static IResponseBuilder Quote(string symbol, decimal price) => Ok(QuoteBody(symbol, price));

    public static IResponseBuilder Status(HttpStatusCode status) => Response.Create().WithStatusCode(status);

    /// <summary>Forgets every script and request, so each test starts from a quiet vendor.</summary>
    public void Reset()
    {
        _release.TrySetResult();
        _release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _arrivals, 0);
        _server.ResetMappings();
        _server.ResetScenarios();
        _server.ResetLogEntries();
    }

    /// <summary>Answers the GLOBAL_QUOTE requests (of one symbol, or of all) with these responses in turn; the last one repeats.</summary>
    public void Answer(string? symbol, params IResponseBuilder[] responses)
    {
        var scenario = $"quotes-{symbol ?? "*"}-{Guid.NewGuid():N}";
        for (var i = 0; i < responses.Length; i++)
        {
            var request = Request.Create().WithPath("/query").WithParam("function", "GLOBAL_QUOTE").UsingGet();
            if (symbol is not null)
            {
                request = request.WithParam("symbol", symbol);
            }

            // A lone answer needs no scenario (WireMock fails a scenario that never changes state).
            var mapping = responses.Length == 1 ? _server.Given(request) : _server.Given(request).InScenario(scenario);
            if (i > 0)
            {
                mapping = mapping.WhenStateIs($"step-{i}");
            }

            if (i < responses.Length - 1)
            {
                mapping = mapping.WillSetStateTo($"step-{i + 1}");
            }

            mapping.RespondWith(responses[i]);
        }
    }

    public void Answer(params IResponseBuilder[] responses) => Answer(null, responses);

    /// <summary>
    /// The first request gets no answer until <see cref="Reset"/>; later ones get <paramref name="body"/>. WireMock's
    /// <c>WithDelay</c> cannot script this: a scenario moves to its next state only once the delayed answer is sent.
    /// </summary>
    public void HangFirstThen(string body)
    {
        var release = _release.Task;
        _server.Given(Request.Create().WithPath("/query").UsingGet()).RespondWith(Response.Create()
            .WithStatusCode(200).WithHeader("Content-Type", "application/json")
            .WithBody(async _ =>
            {
                var arrival = Interlocked.Increment(ref _arrivals);
                _arrived.Raise();
                if (arrival == 1)
                {
                    await release;
                }

                return body;
            }));
    }

    /// <summary>Until <paramref name="count"/> requests have arrived (10 s at most), woken by each arrival.</summary>
    public Task WaitForArrivalsAsync(int count) =>
        _arrived.WaitUntilAsync(() => Arrivals >= count, TimeSpan.FromSeconds(10), () => $"The vendor saw {Arrivals} of {count} requests.");

    public void Dispose()
    {
        _release.TrySetResult();
        _server.Stop();
        _server.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
