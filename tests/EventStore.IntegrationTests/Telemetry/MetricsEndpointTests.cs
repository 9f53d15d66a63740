using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Trading;
using EventStore.IntegrationTests.Users;
using EventStore.IntegrationTests.WebSockets;

namespace EventStore.IntegrationTests.Telemetry;

/// <summary>
/// `/metrics` (Prometheus text) after some traffic: requests, commands, events, projection lag, WebSocket connections
/// and subscriptions; loopback callers only unless Telemetry:MetricsAllowedNetworks says otherwise; and every metric
/// the checked-in Grafana dashboard queries is one the app exports.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed partial class MetricsEndpointTests(TelemetryFixture app) : IAsyncLifetime
{
    private const string Quotes = "subscription($after: String) { quotes(symbols: [\"AAPL\"], after: $after) { sequence symbol bid } }";

    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task after_some_traffic_metrics_show_requests_commands_projection_lag_and_websockets()
    {
        var metrics = await AfterTrafficAsync();

        Assert.Contains("http_server_request_duration_seconds_bucket{", metrics);
        Assert.Matches(Sample("eventstore_graphql_operation_duration_seconds_count", "operation=\"placeOrder\""), metrics);
        Assert.Matches(Sample("eventstore_graphql_operation_duration_seconds_count", "outcome=\"error\""), metrics);
        Assert.Matches(Sample("eventstore_commands_total", "command=\"PlaceOrder\",outcome=\"ok\""), metrics);
        Assert.Matches(Sample("eventstore_commands_total", "command=\"Deposit\",outcome=\"refused\""), metrics);
        Assert.Matches(Sample("wolverine_execution_time_Milliseconds_count", "message_type=\"EventStore.Domain.Trading."), metrics);
        Assert.Matches(Sample("eventstore_events_appended_total", "type=\"order_placed\""), metrics);
        Assert.Matches(Sample("eventstore_projection_lag", "projection=\""), metrics);
        Assert.Matches(Sample("eventstore_projection_dead_letters", "projection=\""), metrics);
        Assert.Contains("eventstore_websocket_connections", metrics);
        Assert.Contains("eventstore_graphql_subscriptions", metrics);
    }

    [Fact]
    public async Task metrics_answer_loopback_and_refuse_other_callers()
    {
        Assert.Equal(200, (await TelemetryFixture.ScrapeAsync(app.Host, IPAddress.Loopback)).Status);
        Assert.Equal(200, (await TelemetryFixture.ScrapeAsync(app.Host, IPAddress.IPv6Loopback)).Status);
        Assert.Equal(403, (await TelemetryFixture.ScrapeAsync(app.Host, IPAddress.Parse("203.0.113.7"))).Status);
        Assert.Equal(403, (await TelemetryFixture.ScrapeAsync(app.Host, IPAddress.Parse("10.1.2.3"))).Status);
        Assert.Equal(403, (await TelemetryFixture.ScrapeAsync(app.Host, null)).Status);
    }

    [Fact]
    public async Task an_allowed_network_may_read_metrics_and_others_still_may_not()
    {
        await using var node = await AppFixture.StartNodeAsync(app.ConnectionString,
            ("Telemetry:MetricsAllowedNetworks:0", "10.0.0.0/8"), ("Telemetry:MetricsAllowedNetworks:1", "2001:db8::/32"),
            ("MarketData:Enabled", "false"), ("Trading:SeedInstruments", "false"), ("EventStore:RunProjections", "false"),
            ("Reconciliation:Interval", "00:00:00"));

        Assert.Equal(200, (await TelemetryFixture.ScrapeAsync(node, IPAddress.Parse("10.1.2.3"))).Status);
        Assert.Equal(200, (await TelemetryFixture.ScrapeAsync(node, IPAddress.Parse("2001:db8::5"))).Status);
        Assert.Equal(200, (await TelemetryFixture.ScrapeAsync(node, IPAddress.Loopback)).Status);
        Assert.Equal(403, (await TelemetryFixture.ScrapeAsync(node, IPAddress.Parse("203.0.113.7"))).Status);
    }

    [Fact]
    public async Task every_metric_the_grafana_dashboard_queries_is_exported()
    {
        var metrics = await AfterTrafficAsync();
        var exported = metrics.Split('\n').Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => MetricName().Match(l).Value).ToHashSet(StringComparer.Ordinal);

        var dashboard = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepoRoot(), "eng", "grafana", "eventstore-dashboard.json")))!;
        var expressions = dashboard["panels"]!.AsArray().SelectMany(p => p!["targets"]!.AsArray()).Select(t => t!["expr"]!.GetValue<string>()).ToList();
        Assert.NotEmpty(expressions);
        foreach (var expression in expressions)
        {
            // Every selector in the dashboard names its metric before `{` (the dashboard's convention, so it can be checked).
            var names = Selector().Matches(expression).Select(m => m.Groups[1].Value).ToList();
            Assert.True(names.Count > 0, $"No metric selector in: {expression}");
            foreach (var name in names)
            {
                Assert.True(exported.Contains(name), $"The dashboard queries {name}, which /metrics does not show (in: {expression}).");
            }
        }
    }

    /// <summary>Commands that succeed and fail, an order, a live subscription and a readiness check; then a scrape.</summary>
    private async Task<string> AfterTrafficAsync()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("metered1");
        await _client.DepositAsync(token, 10_000m);
        await app.QuoteAsync("AAPL", 99.98m, 100.00m);
        (await _client.PlaceAsync(token, "metered-1", "BUY", "LIMIT", 10, 99.50m)).Ok("placeOrder");
        var refused = await _client.SendAsync("mutation { deposit(input: {amount: -5}) { balance } }", token: token);
        Assert.Equal("VALIDATION", Assert.Single(refused.Codes));
        // The offline assistant (no AI provider configured in tests) still counts its estimated tokens.
        (await _client.SendAsync("mutation($p: String!) { askAssistant(input: {prompt: $p}) { __typename } }",
            new { p = "what is my cash?" }, token)).Ok("askAssistant");

        await using var socket = await GraphQLWebSocketClient.ConnectAndInitAsync(app.Host, new { authorization = "Bearer " + token });
        await socket.SubscribeAsync("q", Quotes, new { after = "0" });
        Assert.Equal("next", (await socket.ReceiveAsync()).Str("type")); // the subscription is live

        await app.WaitForProjectionsAsync();
        using var http = app.Host.Server.CreateClient();
        using var ready = await http.GetAsync("/health/ready"); // reads the projections' status: the lag gauges
        var (status, body) = await TelemetryFixture.ScrapeAsync(app.Host, IPAddress.Loopback);
        Assert.Equal(200, status);
        return body;
    }

    private static Regex Sample(string name, string label) =>
        new("^" + Regex.Escape(name) + @"\{[^}]*" + Regex.Escape(label) + "[^}]*} ", RegexOptions.Multiline);

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EventStore.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("EventStore.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"([a-zA-Z_:][a-zA-Z0-9_:]*)\{")]
    private static partial Regex Selector();
}
