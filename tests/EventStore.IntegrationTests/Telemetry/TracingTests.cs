using System.Diagnostics;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Trading;
using EventStore.IntegrationTests.Users;

namespace EventStore.IntegrationTests.Telemetry;

/// <summary>One trace per operation: the GraphQL span and, under it, Wolverine's command and Marten's SQL (Npgsql).</summary>
[Collection(TelemetryCollection.Name)]
public sealed class TracingTests(TelemetryFixture app) : IAsyncLifetime
{
    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task a_placeOrder_is_one_trace_of_graphql_wolverine_and_npgsql_spans()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("tracer1");
        await _client.DepositAsync(token, 10_000m);
        await app.QuoteAsync("AAPL", 99.98m, 100.00m);

        app.Spans.Clear();
        // Under a trace id of its own: the exporter hears every "EventStore" source in the process, so the other test
        // collections' hosts (running in parallel) add their own placeOrder spans to it.
        var traceId = ActivityTraceId.CreateRandom();
        (await GraphQLClient.Traced(app.Host, traceId).PlaceAsync(token, "traced-1", "BUY", "LIMIT", 10, 99.50m)).Ok("placeOrder");

        // The in-memory exporter receives each span as it ends. The request's own span (ASP.NET Core) stops only once the
        // response is sent, so it may end after the client has read the answer: wait for it rather than race it.
        var operation = await app.Spans.WaitForAsync(s => s.TraceId == traceId && s.Source.Name == "EventStore" && s.DisplayName == "mutation placeOrder",
            TimeSpan.FromSeconds(30));
        await app.Spans.WaitForAsync(s => s.Source.Name == "Microsoft.AspNetCore" && s.SpanId == operation.ParentSpanId, TimeSpan.FromSeconds(30));
        Assert.Single(app.Spans, s => s.TraceId == traceId && s.Source.Name == "EventStore" && s.DisplayName == "mutation placeOrder");
        var trace = app.Spans.Where(s => s.TraceId == traceId).ToList();
        Assert.Contains(trace, s => s.Source.Name == "Wolverine");
        Assert.Contains(trace, s => s.Source.Name == "Npgsql");
        Assert.Contains(trace, s => s.Source.Name == "Microsoft.AspNetCore" && s.SpanId == operation.ParentSpanId);
        // Wolverine's command span sits under the operation's span.
        Assert.Contains(trace, s => s.Source.Name == "Wolverine" && s.ParentSpanId == operation.SpanId);
    }
}
