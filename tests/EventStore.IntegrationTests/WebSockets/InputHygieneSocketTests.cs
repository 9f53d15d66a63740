using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;

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
    public async Task a_control_character_in_the_operation_id_is_scrubbed_from_the_correlation_id_not_fatal()
    {
        await using var client = await GraphQLWebSocketClient.ConnectAndInitAsync(app.Host);

        await client.SubscribeAsync("op\u0000id", UserScenarios.RegisterMutation,
            new { input = new { username = "wsopid", email = "wsopid@example.com", password = UserScenarios.Password } });

        var next = await client.ReceiveAsync();
        Assert.Equal("next", next.Str("type"));
        Assert.Equal("wsopid", next["payload"]!["data"]!["register"]!.Str("username"));
        var registered = (await app.AllEventsAsync()).Last(e => e.EventTypeName == "user_registered");
        Assert.EndsWith(":op\uFFFDid", registered.CorrelationId, StringComparison.Ordinal);
    }
}
