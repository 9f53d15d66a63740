using System.Collections;
using System.Diagnostics;
using System.Net;
using System.Text;
using Alba;
using EventStore.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace EventStore.IntegrationTests.Telemetry;

/// <summary>
/// The app with OpenTelemetry's in-memory exporter added to its tracer (every finished span lands in <see cref="Spans"/>)
/// and a <see cref="LogRecorder"/> at Information, so tests can read what an operator would see.
/// </summary>
public sealed class TelemetryFixture : AppFixture
{
    public SpanCollection Spans { get; } = new();

    public LogRecorder Log { get; } = new();

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Logging:LogLevel:Default", "Information");
        // No OTLP endpoint here (the spans go to an in-memory exporter), so the database spans are asked for.
        builder.UseSetting("Telemetry:DatabaseSpans", "true");
        builder.ConfigureLogging(logging => logging.AddProvider(Log));
        builder.ConfigureServices(services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans)));
    }

    /// <summary>GET /metrics as if from <paramref name="caller"/> (null: no network address, as in-process).</summary>
    public static async Task<(int Status, string Body)> ScrapeAsync(IAlbaHost host, IPAddress? caller)
    {
        var context = await host.Server.SendAsync(http =>
        {
            http.Connection.RemoteIpAddress = caller;
            http.Request.Method = "GET";
            http.Request.Path = "/metrics";
        });
        using var reader = new StreamReader(context.Response.Body, Encoding.UTF8);
        return (context.Response.StatusCode, await reader.ReadToEndAsync());
    }

    /// <summary>The exporter adds from whichever thread ends a span: a locked list.</summary>
    public sealed class SpanCollection : ICollection<Activity>
    {
        private readonly List<Activity> _items = [];
        private readonly List<(Func<Activity, bool> Match, TaskCompletionSource<Activity> Seen)> _waiters = [];

        public int Count { get { lock (_items) { return _items.Count; } } }

        public bool IsReadOnly => false;

        public void Add(Activity item)
        {
            lock (_items)
            {
                _items.Add(item);
                foreach (var waiter in _waiters.Where(w => w.Match(item)).ToList())
                {
                    _waiters.Remove(waiter);
                    waiter.Seen.TrySetResult(item);
                }
            }
        }

        /// <summary>
        /// The first finished span that matches, waiting for it if it has not finished yet: some spans end after the
        /// client has its response (ASP.NET Core's request span stops once the response is sent).
        /// </summary>
        public async Task<Activity> WaitForAsync(Func<Activity, bool> match, TimeSpan timeout)
        {
            TaskCompletionSource<Activity> seen;
            lock (_items)
            {
                if (_items.FirstOrDefault(match) is { } finished)
                {
                    return finished;
                }

                seen = new TaskCompletionSource<Activity>(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add((match, seen));
            }

            return await seen.Task.WaitAsync(timeout);
        }

        public void Clear() { lock (_items) { _items.Clear(); } }

        public bool Contains(Activity item) { lock (_items) { return _items.Contains(item); } }

        public void CopyTo(Activity[] array, int arrayIndex) { lock (_items) { _items.CopyTo(array, arrayIndex); } }

        public bool Remove(Activity item) { lock (_items) { return _items.Remove(item); } }

        public IEnumerator<Activity> GetEnumerator() { lock (_items) { return _items.ToList().GetEnumerator(); } }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

[CollectionDefinition(Name)]
public sealed class TelemetryCollection : ICollectionFixture<TelemetryFixture>
{
    public const string Name = "telemetry";
}
