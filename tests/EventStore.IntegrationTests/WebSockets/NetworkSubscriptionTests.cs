using System.Text.Json.Nodes;
using EventStore.Domain.MarketData;
using EventStore.Domain.Trading;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Trading;
using EventStore.IntegrationTests.Users;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Wolverine.Tracking;
using Xunit.Abstractions;

namespace EventStore.IntegrationTests.WebSockets;

/// <summary>
/// Subscriptions over a real TCP WebSocket to Kestrel, commands over HTTP to the same port: resuming by cursor after a
/// disconnect, and a client that stops reading being cut off (close 1013) without holding up another one.
/// </summary>
public sealed class NetworkSubscriptionTests(KestrelAppFixture app, ITestOutputHelper output) : IClassFixture<KestrelAppFixture>
{
    private const string OrderUpdates =
        "subscription($after: String) { myOrderUpdates(after: $after) { sequence event order { clientOrderId status } } }";

    private const string Quotes =
        "subscription($symbols: [String!]!, $after: String) { quotes(symbols: $symbols, after: $after) { sequence symbol bid ask bidSize askSize quotedAt } }";

    /// <summary>Quotes appended per step: fewer than the outbound queue holds, so a client that reads never overflows.</summary>
    private const int Chunk = 200;

    /// <summary>
    /// Quotes in the burst: about 2,000 `next` messages of some 230 bytes, several times what the fixture's queue and
    /// socket buffers hold for a client that does not read.
    /// </summary>
    private const int Burst = 10 * Chunk;

    private readonly GraphQLClient _http = app.Http;

    [Fact]
    public async Task a_trader_who_reconnects_with_the_last_cursor_gets_every_missed_update_once_in_order_then_live_ones()
    {
        var (_, token) = await _http.RegisterAndLogInAsync("net-resume");
        await _http.DepositAsync(token, 10_000m);
        await RecordQuoteAsync("AAPL", 99.90m, 100.00m); // limit buys below 100.00 rest on the book

        string cursor;
        string firstOrder;
        await using (var first = await GraphQLWebSocketClient.ConnectAndInitAsync(app.SocketUri, Auth(token)))
        {
            // `after: "0"` replays the (empty) history once the subscription holds its place in the feed, so the first
            // order cannot slip in between subscribing and going live.
            await first.SubscribeAsync("orders", OrderUpdates, new { after = "0" });
            firstOrder = (await _http.PlaceAsync(token, "o1", "BUY", "LIMIT", 1, 90.00m)).Ok("placeOrder")["order"]!.Str("id");
            (await _http.PlaceAsync(token, "o2", "BUY", "LIMIT", 1, 91.00m)).Ok("placeOrder");

            var before = new[] { await NextAsync(first, "orders", "myOrderUpdates"), await NextAsync(first, "orders", "myOrderUpdates") };
            Assert.Equal([("order_placed", "o1"), ("order_placed", "o2")], before.Select(OrderEvent));
            cursor = before[^1].Str("sequence");
        } // the socket closes here

        (await _http.PlaceAsync(token, "o3", "BUY", "LIMIT", 1, 92.00m)).Ok("placeOrder");
        (await _http.PlaceAsync(token, "o4", "BUY", "LIMIT", 1, 93.00m)).Ok("placeOrder");
        (await _http.SendAsync("mutation($input: CancelOrderInput!) { cancelOrder(input: $input) { order { status } } }",
            new { input = new { orderId = firstOrder } }, token)).Ok("cancelOrder");

        await using var resumed = await GraphQLWebSocketClient.ConnectAndInitAsync(app.SocketUri, Auth(token));
        await resumed.SubscribeAsync("orders", OrderUpdates, new { after = cursor });
        var received = new List<JsonNode>();
        for (var i = 0; i < 3; i++)
        {
            received.Add(await NextAsync(resumed, "orders", "myOrderUpdates"));
        }

        (await _http.PlaceAsync(token, "o5", "BUY", "LIMIT", 1, 94.00m)).Ok("placeOrder"); // after the replay: live
        received.Add(await NextAsync(resumed, "orders", "myOrderUpdates"));

        Assert.Equal([("order_placed", "o3"), ("order_placed", "o4"), ("order_cancelled", "o1"), ("order_placed", "o5")],
            received.Select(OrderEvent));
        var sequences = received.Select(x => long.Parse(x.Str("sequence"), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(sequences[0] > long.Parse(cursor, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal(sequences.Count, sequences.Distinct().Count());
    }

    [Fact]
    public async Task a_client_that_stops_reading_is_closed_with_1013_while_another_keeps_receiving_and_it_resumes_by_cursor()
    {
        const string symbol = "MSFT"; // no other test here quotes it: `after: "0"` replays only this test's quotes
        var (_, fastToken) = await _http.RegisterAndLogInAsync("net-fast");
        var (_, slowToken) = await _http.RegisterAndLogInAsync("net-slow");
        await AppendQuotesAsync(symbol, 1, 0);
        await using var fast = await GraphQLWebSocketClient.ConnectAndInitAsync(app.SocketUri, Auth(fastToken));
        await using var slow = await GraphQLWebSocketClient.ConnectAndInitAsync(app.SocketUri, Auth(slowToken), receiveBufferBytes: 4096);
        await fast.SubscribeAsync("q", Quotes, new { symbols = new[] { symbol }, after = "0" });
        await slow.SubscribeAsync("q", Quotes, new { symbols = new[] { symbol }, after = "0" });
        await NextAsync(fast, "q", "quotes"); // both replayed the first quote: both are registered with the feed
        var slowCursor = (await NextAsync(slow, "q", "quotes")).Str("sequence");

        // From here on `slow` reads nothing. `fast` reads each chunk before the next one is appended.
        var fastSeen = new List<string>();
        for (var appended = 0; appended < Burst; appended += Chunk)
        {
            await AppendQuotesAsync(symbol, Chunk, 1 + appended);
            for (var i = 0; i < Chunk; i++)
            {
                fastSeen.Add((await NextAsync(fast, "q", "quotes")).Str("sequence"));
            }
        }

        var (messages, code, reason) = await slow.ReceiveUntilCloseAsync();
        Assert.Equal(1013, code);
        Assert.Equal("Try again later: the client reads too slowly", reason);
        var slowSeen = messages.Select(m => Payload(m, "q", "quotes").Str("sequence")).ToList();
        Assert.True(slowSeen.Count < Burst, "the slow client should have been cut off before the end of the burst");
        Assert.Equal(fastSeen.Take(slowSeen.Count), slowSeen); // what it did get: a gap-free prefix, in order
        output.WriteLine($"The slow client got {slowSeen.Count} of {Burst} quotes before the close.");

        // The replay (some 1,600 quotes) is far longer than the outbound queue: it is paced by the reader, not cut off.
        await using var resumed = await GraphQLWebSocketClient.ConnectAndInitAsync(app.SocketUri, Auth(slowToken));
        await resumed.SubscribeAsync("q", Quotes, new { symbols = new[] { symbol }, after = slowSeen.LastOrDefault() ?? slowCursor });
        var rest = new List<string>();
        for (var i = slowSeen.Count; i < Burst; i++)
        {
            rest.Add((await NextAsync(resumed, "q", "quotes")).Str("sequence"));
        }

        Assert.Equal(fastSeen.Skip(slowSeen.Count), rest); // everything it missed, once, in order
        await AppendQuotesAsync(symbol, 1, 1 + Burst);
        var live = (await NextAsync(resumed, "q", "quotes")).Str("sequence");
        Assert.Equal(live, (await NextAsync(fast, "q", "quotes")).Str("sequence")); // and both go on live
        Assert.True(long.Parse(live, System.Globalization.CultureInfo.InvariantCulture)
            > long.Parse(fastSeen[^1], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static object Auth(string token) => new { authorization = "Bearer " + token };

    private static (string, string) OrderEvent(JsonNode update) => (update.Str("event"), update["order"]!.Str("clientOrderId"));

    private static async Task<JsonNode> NextAsync(GraphQLWebSocketClient client, string id, string field) =>
        Payload(await client.ReceiveAsync(), id, field);

    private static JsonNode Payload(JsonObject message, string id, string field)
    {
        Assert.True(message.Str("type") == "next" && message.Str("id") == id, $"Expected a `next` for {id} but got {message.ToJsonString()}");
        return message["payload"]!["data"]![field]!;
    }

    private async Task RecordQuoteAsync(string symbol, decimal bid, decimal ask) =>
        await app.Services.GetRequiredService<IHost>().InvokeMessageAndWaitAsync(
            new RecordQuote(new Quote(symbol, bid, ask, 1000, 1000, DateTimeOffset.UtcNow, "test")));

    /// <summary>
    /// Appends quotes straight to the symbol's quote stream, the events the quote handler appends, because the burst needs
    /// thousands at once (no instrument or order matching is involved in what these tests check).
    /// </summary>
    private async Task AppendQuotesAsync(string symbol, int count, int first)
    {
        var store = app.Services.GetRequiredService<IDocumentStore>();
        await using var session = store.LightweightSession();
        var at = DateTimeOffset.UtcNow;
        var quotes = Enumerable.Range(first, count).Select(i =>
            (object)new QuoteReceived(Guid.CreateVersion7(), TradingIds.Instrument(symbol), symbol, 100m + (i * 0.01m), 100.05m + (i * 0.01m),
                1000, 1000, at, "test"));
        session.Events.Append(TradingIds.QuotesOf(symbol), quotes.ToArray());
        await session.SaveChangesAsync();
    }
}
