using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EventStore.Domain.Assistant;
using EventStore.Domain.Chat;
using EventStore.IntegrationTests.Chat;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Trading;
using EventStore.IntegrationTests.Users;

namespace EventStore.IntegrationTests.Assistant;

/// <summary>
/// A trader with an account worth hiding (cash, a position, a fill, a resting order), a second user who reads the same
/// place, and a question asked in one of the places an answer can go: a private conversation, a public, private or
/// direct room, or a private room whose only member is the asker. Everything through the public API.
/// </summary>
public sealed partial class AssistantPrivacyScenario(AppFixture app, GraphQLClient client)
{
    public const string PrivateConversation = "CONVERSATION";
    public const string Public = "PUBLIC";
    public const string Private = "PRIVATE";
    public const string PrivateAlone = "PRIVATE_ALONE";
    public const string Direct = "DIRECT";
    public const string EarlierRoomMessage = "morning all, the desk is open";
    public const decimal Deposit = 12_345.67m;
    public const decimal LimitPrice = 91.25m;

    /// <summary>A question per tool, and what only that tool's answer contains.</summary>
    public static readonly IReadOnlyDictionary<string, (string Prompt, string Shows)> Tools = new Dictionary<string, (string, string)>
    {
        ["portfolio"] = ("what is my cash balance?", "Your portfolio: cash"),
        ["recent_fills"] = ("show me my recent fills", "Your latest fills: Buy 7 AAPL"),
        ["open_orders"] = ("which orders do I have open?", "Your open orders: Buy 3 AAPL limit 91.25"),
        ["quote"] = ("what is AAPL at?", "AAPL: bid 99.90 ask 100.00"),
        ["room_summary"] = ("summarize the room please", EarlierRoomMessage),
    };

    public static readonly IReadOnlySet<string> AskersOwnTools = new HashSet<string> { "portfolio", "recent_fills", "open_orders" };

    public (Guid Id, string Token) Alice { get; private set; }

    public (Guid Id, string Token) Bob { get; private set; }

    /// <summary>Every figure of Alice's account that must never be read by anyone else (cash, available, reserved, ...).</summary>
    public IReadOnlyList<decimal> Figures { get; private set; } = [];

    public async Task TradersAsync()
    {
        Alice = await client.RegisterAndLogInAsync("alice-priv");
        Bob = await client.RegisterAndLogInAsync("bob-priv");
        await client.DepositAsync(Alice.Token, Deposit);
        await app.QuoteAsync("AAPL", 99.90m, 100.00m);
        (await client.PlaceAsync(Alice.Token, "buy-now", "BUY", "MARKET", 7, timeInForce: "DAY")).Ok("placeOrder");
        (await client.PlaceAsync(Alice.Token, "buy-low", "BUY", "LIMIT", 3, LimitPrice)).Ok("placeOrder");
        var portfolio = await client.PortfolioAsync(app, Alice.Token);
        Assert.Equal(7m, Assert.Single(portfolio["positions"]!.AsArray())!.Dec("quantity"));
        Figures = [Deposit, LimitPrice, portfolio.Dec("cash"), portfolio.Dec("availableCash"), portfolio.Dec("reservedCash")];
        // A scan by value must be able to tell them from the public prices (the quote) and from small counts.
        Assert.All(Figures, f => Assert.True(f is not 99.90m and not 100.00m and > 90m, $"{f} cannot be told apart"));
    }

    /// <summary>The room for <paramref name="place"/> (null for a conversation), with an earlier message in it.</summary>
    public async Task<string?> PlaceAsync(string place)
    {
        var room = place switch
        {
            PrivateConversation => null,
            Public => await client.CreateRoomAsync(Alice.Token, "Floor"),
            Private or PrivateAlone => await client.CreateRoomAsync(Alice.Token, "Desk", "PRIVATE"),
            Direct => await client.OpenDirectRoomAsync(Alice.Token, Bob.Id),
            _ => throw new ArgumentOutOfRangeException(nameof(place)),
        };
        if (place == Public)
        {
            await client.JoinOkAsync(Bob.Token, room!);
        }
        else if (place == Private)
        {
            (await client.InviteAsync(Alice.Token, room!, Bob.Id)).Ok("inviteToRoom");
        }

        if (room is not null)
        {
            await client.PostOkAsync(Alice.Token, room, EarlierRoomMessage);
            await app.WaitForProjectionsAsync();
        }

        return room;
    }

    /// <summary>Mentions the assistant in the room and waits for the answer (cascaded through the durable inbox) and projections.</summary>
    public async Task<Guid> MentionAsync(string room, string question, string? token = null)
    {
        var posted = await app.AndWaitForCascadesAsync(() => client.PostOkAsync(token ?? Alice.Token, room, "@assistant " + question));
        await app.WaitForProjectionsAsync();
        return AssistantIds.InteractionFor(Guid.Parse(posted));
    }

    /// <summary>The room's messages, newest first, as another reader sees them: Bob, or an admin where Bob may not read.</summary>
    public async Task<JsonArray> RoomAsReaderAsync(string place, string room) =>
        await client.MessageNodesAsync(place == PrivateAlone ? await client.LogInAsAdminAsync() : Bob.Token, room);

    /// <summary>Alice's conversations with their interactions.</summary>
    public async Task<JsonArray> ConversationsAsync()
    {
        await app.WaitForProjectionsAsync();
        return (await client.SendAsync(
            "{ conversations { id interactions { id conversationId roomId messageId status response disclaimer } } }", token: Alice.Token))
            .Ok("conversations").AsArray();
    }

    /// <summary>Fails when any text names a figure of Alice's account or phrases her own data.</summary>
    public void AssertNoFigureIn(IEnumerable<string?> texts)
    {
        foreach (var text in texts.OfType<string>())
        {
            var numbers = Numbers(text);
            Assert.DoesNotContain(Figures, numbers.Contains);
            foreach (var phrase in (string[])["Your portfolio:", "Your latest fills:", "Your open orders:", "Buy 7", "7 AAPL", "AAPL 7", "3 AAPL"])
            {
                Assert.DoesNotContain(phrase, text, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>
    /// Fails when any message event of the room (posted or edited, opened as the app opens it) names a figure of Alice's:
    /// the log is what every reader of the room, now or invited later, can be shown, whatever the read models say.
    /// </summary>
    public async Task AssertNoFigureInRoomEventsAsync(string room)
    {
        var roomId = Guid.Parse(room);
        var texts = new List<string?>();
        foreach (var e in await app.AllEventsAsync())
        {
            var text = e.Data switch
            {
                MessagePosted p when p.RoomId == roomId => p.Text,
                MessageEdited m when m.RoomId == roomId => m.Text,
                _ => null,
            };
            if (text is not null)
            {
                texts.Add(await app.OpenAsync(text));
            }
        }

        Assert.Contains(EarlierRoomMessage, texts); // the scan reads the room's events, not nothing
        Assert.Contains(texts, t => t is not null && t.StartsWith("@assistant ", StringComparison.Ordinal));
        AssertNoFigureIn(texts);
    }

    public static IReadOnlySet<decimal> Numbers(string text) =>
        Number().Matches(text).Select(m => decimal.Parse(m.Value, CultureInfo.InvariantCulture)).ToHashSet();

    [GeneratedRegex(@"\d+(\.\d+)?")]
    private static partial Regex Number();
}
