using System.Text.Json.Nodes;
using EventStore.GraphQL.Transport.Requests;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;
using Microsoft.Extensions.DependencyInjection;

namespace EventStore.IntegrationTests.WebSockets;

/// <summary>
/// The WebSocket transport executes the same schema with the same validation rules: the input rule refuses there as it
/// does over HTTP (an `error` for the operation, the socket stays open), and a client's operation id, which becomes part
/// of the events' correlation id, cannot break a command.
/// </summary>
[Collection(WebSocketCollection.Name)]
public sealed class InputHygieneSocketTests(WebSocketFixture app) : IAsyncLifetime
{
    private readonly GraphQLClient _http = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task a_mutation_with_a_nul_gets_the_same_validation_error_as_over_http_and_appends_nothing()
    {
        await using var client = await GraphQLWebSocketClient.ConnectAndInitAsync(app.Host);
        var before = (await app.AllEventsAsync()).Count;

        await client.SubscribeAsync("reg", UserScenarios.RegisterMutation, new
        {
            input = new { username = "wsnul", email = "wsnul@example.com", password = UserScenarios.Password, displayName = "ws\u0000nul" },
        });

        var error = await client.ReceiveAsync();
        Assert.Equal("error", error.Str("type"));
        var payload = Assert.Single(error["payload"]!.AsArray())!;
        Assert.Equal("VALIDATION", payload["extensions"]!.Str("code"));
        Assert.Equal("input.displayName", payload["extensions"]!.Str("field"));
        Assert.Equal("CONTROL_CHARACTER", payload["extensions"]!.Str("reason"));
        Assert.Equal(before, (await app.AllEventsAsync()).Count);

        await client.SubscribeAsync("again", "{ __typename }"); // the socket is still usable
        Assert.Equal("next", (await client.ReceiveAsync()).Str("type"));
    }

    [Fact]
    public async Task a_subscription_argument_is_checked_item_by_item()
    {
        var (_, token) = await _http.RegisterAndLogInAsync("wsquotes");
        await using var client = await GraphQLWebSocketClient.ConnectAndInitAsync(app.Host,
            new Dictionary<string, string> { ["authorization"] = "Bearer " + token });

        await client.SubscribeAsync("q", "subscription($s: [String!]!) { quotes(symbols: $s) { symbol } }",
            new { s = (string[])["AAPL", "MSFT\n"] });

        var error = await client.ReceiveAsync();
        Assert.Equal("error", error.Str("type"));
        var payload = Assert.Single(error["payload"]!.AsArray())!;
        Assert.Equal("symbols[1]", payload["extensions"]!.Str("field"));
        Assert.Equal("LINE_BREAK", payload["extensions"]!.Str("reason"));
    }

    [Fact]
    public async Task a_control_character_in_the_operation_id_is_not_fatal_and_never_stored()
    {
        await using var client = await GraphQLWebSocketClient.ConnectAndInitAsync(app.Host);

        await client.SubscribeAsync("op\u0000id", UserScenarios.RegisterMutation,
            new { input = new { username = "wsopid", email = "wsopid@example.com", password = UserScenarios.Password } });

        var next = await client.ReceiveAsync();
        Assert.Equal("next", next.Str("type"));
        Assert.Equal("wsopid", next["payload"]!["data"]!["register"]!.Str("username"));
        var registered = (await app.AllEventsAsync()).Last(e => e.EventTypeName == "user_registered");
        // The correlation id numbers the connection's operations; the client's operation id (free text) is not stored.
        Assert.EndsWith(":1", registered.CorrelationId, StringComparison.Ordinal);
        Assert.DoesNotContain("op", registered.CorrelationId, StringComparison.Ordinal);
    }

    /// <summary>
    /// The socket shares the parsed-document cache with HTTP (docs/performance.md#graphql-document-cache): an operation an
    /// admin ran over HTTP skips GraphQL.NET's specification rules when it comes again over the socket, and our own rules
    /// still refuse it to a trader and refuse a control character in its variables.
    /// </summary>
    [Fact]
    public async Task an_operation_that_skips_the_specification_rules_is_still_authorized_and_checked_over_the_socket()
    {
        // A text no other test sends, so the admin's request below is the one that records it.
        var halt = $"mutation($s: String!, $r: String!) {{ haltInstrument(symbol: $s, reason: $r) {{ tradable }} }} # {Guid.NewGuid():N}";
        var cache = app.Host.Services.GetRequiredService<ParsedDocumentCache>();
        var admin = await _http.LogInAsAdminAsync();
        var (_, trader) = await _http.RegisterAndLogInAsync("wscache");
        (await _http.SendAsync(halt, new { s = "MSFT", r = "news pending" }, admin)).Ok("haltInstrument");
        var skipped = cache.SpecRulesSkipped;

        await using (var asTrader = await GraphQLWebSocketClient.ConnectAndInitAsync(app.Host,
            new Dictionary<string, string> { ["authorization"] = "Bearer " + trader }))
        {
            await asTrader.SubscribeAsync("halt", halt, new { s = "MSFT", r = "news pending" });
            Assert.Equal(["FORBIDDEN"], Codes(await asTrader.ReceiveAsync()));
        }

        await using (var asAdmin = await GraphQLWebSocketClient.ConnectAndInitAsync(app.Host,
            new Dictionary<string, string> { ["authorization"] = "Bearer " + admin }))
        {
            await asAdmin.SubscribeAsync("halt", halt, new { s = "MSFT", r = "bell \u0007" });
            Assert.Equal(["VALIDATION"], Codes(await asAdmin.ReceiveAsync()));
        }

        Assert.Equal(skipped + 2, cache.SpecRulesSkipped);
        (await _http.SendAsync("mutation($s: String!) { resumeInstrument(symbol: $s) { tradable } }", new { s = "MSFT" }, admin))
            .Ok("resumeInstrument");
    }

    /// <summary>The error codes of an `error` message, or of the errors in a `next` message's result.</summary>
    private static List<string?> Codes(JsonObject message) =>
        (message.Str("type") == "error" ? message["payload"]!.AsArray() : message["payload"]!["errors"]!.AsArray())
        .Select(e => e!["extensions"]?["code"]?.GetValue<string>()).ToList();
}
