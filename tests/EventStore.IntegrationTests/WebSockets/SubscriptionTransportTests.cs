using EventStore.Domain.MarketData;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;
using Wolverine.Tracking;

namespace EventStore.IntegrationTests.WebSockets;

/// <summary>
/// Streaming operations over graphql-transport-ws, on the `quotes` subscription: the transport's part (results as
/// `next`, ids reserved while streaming, `complete` from the client, the per-connection limit), not the feed's.
/// </summary>
[Collection(WebSocketCollection.Name)]
public sealed class SubscriptionTransportTests(WebSocketFixture app) : IAsyncLifetime
{
    private const string Quotes = "subscription($after: String) { quotes(symbols: [\"AAPL\"], after: $after) { sequence symbol bid ask } }";

    private readonly GraphQLClient _http = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task each_subscription_result_arrives_as_next()
    {
        await using var client = await TraderAsync("wsquotes");
        await app.Host.InvokeMessageAndWaitAsync(new RecordQuote(
            new Quote("AAPL", 190.10m, 190.20m, 1000, 1000, DateTimeOffset.UtcNow, "test")));

        await client.SubscribeAsync("q", Quotes, new { after = "0" });

        var next = await client.ReceiveAsync();
        Assert.Equal("next", next.Str("type"));
        Assert.Equal("q", next.Str("id"));
        var quote = next["payload"]!["data"]!["quotes"]!;
        Assert.Equal("AAPL", quote.Str("symbol"));
        Assert.Equal(190.10m, quote["bid"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task a_second_subscribe_with_the_id_of_an_active_subscription_closes_with_4409()
    {
        await using var client = await TraderAsync("wsdup");
        await client.SubscribeAsync("dup", Quotes);

        await client.SubscribeAsync("dup", Quotes);

        var (code, reason) = await client.ExpectCloseAsync();
        Assert.Equal(4409, code);
        Assert.Equal("Subscriber for dup already exists", reason);
    }

    [Fact]
    public async Task complete_from_the_client_stops_the_subscription_and_frees_its_id()
    {
        await using var client = await TraderAsync("wsstop");
        await client.SubscribeAsync("s", Quotes);

        await client.SendAsync(new { id = "s", type = "complete" });
        await client.SubscribeAsync("s", Quotes); // would be 4409 if "s" were still running

        await client.SendAsync(new { type = "ping" });
        Assert.Equal("pong", (await client.ReceiveAsync()).Str("type"));
    }

    [Fact]
    public async Task an_operation_beyond_the_per_connection_limit_gets_an_error_and_the_others_go_on()
    {
        await using var client = await TraderAsync("wslimit");
        for (var i = 0; i < WebSocketFixture.MaxOperations; i++)
        {
            await client.SubscribeAsync($"s{i}", Quotes);
        }

        await client.SubscribeAsync("one-too-many", Quotes);

        var error = await client.ReceiveAsync();
        Assert.Equal("error", error.Str("type"));
        Assert.Equal("one-too-many", error.Str("id"));
        Assert.Equal("RATE_LIMITED", error["payload"]!.AsArray().Single()!["extensions"]!.Str("code"));
        await client.SendAsync(new { id = "s0", type = "complete" });
        await client.SubscribeAsync("after-a-slot-freed", "{ __typename }");
        Assert.Equal("next", (await client.ReceiveAsync()).Str("type"));
    }

    [Fact]
    public async Task a_user_cannot_get_round_the_limit_by_opening_more_connections()
    {
        var (_, token) = await _http.RegisterAndLogInAsync("wsmany");
        await using var first = await GraphQLWebSocketClient.ConnectAndInitAsync(app.Host, new { authorization = "Bearer " + token });
        await using var second = await GraphQLWebSocketClient.ConnectAndInitAsync(app.Host, new { authorization = "Bearer " + token });
        for (var i = 0; i < WebSocketFixture.MaxOperations; i++)
        {
            await first.SubscribeAsync($"a{i}", Quotes, new { after = "0" });
        }

        // The user's 4th: still within the per-user limit. Its first `next` proves it holds its slot before the 5th is
        // sent (operations on one socket run concurrently, so without this the 5th could take the slot first).
        await second.SubscribeAsync("b0", Quotes, new { after = "0" });
        await app.Host.InvokeMessageAndWaitAsync(new RecordQuote(new Quote("AAPL", 190.10m, 190.20m, 1000, 1000, DateTimeOffset.UtcNow, "test")));
        var running = await second.ReceiveAsync();
        Assert.Equal(("next", "b0"), (running.Str("type"), running.Str("id")));
        for (var i = 0; i < WebSocketFixture.MaxOperations; i++)
        {
            Assert.Equal("next", (await first.ReceiveAsync()).Str("type")); // the first connection's three hold theirs too
        }

        await second.SubscribeAsync("b1", Quotes); // the 5th: over it

        var error = await second.ReceiveAsync();
        Assert.Equal(("error", "b1"), (error.Str("type"), error.Str("id")));
        Assert.Equal("RATE_LIMITED", error["payload"]!.AsArray().Single()!["extensions"]!.Str("code"));
    }

    private async Task<GraphQLWebSocketClient> TraderAsync(string username)
    {
        var (_, token) = await _http.RegisterAndLogInAsync(username);
        return await GraphQLWebSocketClient.ConnectAndInitAsync(app.Host, new { authorization = "Bearer " + token });
    }
}
