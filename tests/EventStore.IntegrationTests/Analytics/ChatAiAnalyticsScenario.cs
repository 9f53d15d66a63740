using System.Globalization;
using EventStore.Domain.Assistant;
using EventStore.Domain.Chat;
using EventStore.IntegrationTests.Assistant;
using EventStore.IntegrationTests.Audit;
using EventStore.IntegrationTests.Chat;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;
using JasperFx.Events;

namespace EventStore.IntegrationTests.Analytics;

/// <summary>
/// A scripted chat conversation with assistant interactions: a public room (two authors, an edit, a deletion, one
/// @assistant question) and a private room (two authors, one @assistant question), then three questions in assistant
/// conversations. Five provider calls in all, in this order: the two mentions, then the three asks. Also the expected
/// analytics rows, computed here from the raw events (LINQ over the log, not the projections' SQL).
/// </summary>
public static class ChatAiAnalyticsScenario
{
    public const int ProviderCalls = 5;

    public sealed record Script(IReadOnlyList<AnalyticsScenario.Trader> Users, IReadOnlyList<Guid> Rooms, IReadOnlyList<string> RoomNames,
        IReadOnlyList<string> Texts, int Posted, int Deleted, int Mentions, int Asks);

    public static async Task<Script> RunAsync(AppFixture app, GraphQLClient client)
    {
        var users = new List<AnalyticsScenario.Trader>();
        foreach (var name in new[] { "chat.ann", "chat.ben", "chat.cat" })
        {
            var (id, token) = await client.RegisterAndLogInAsync(name);
            users.Add(new AnalyticsScenario.Trader(name, id, token));
        }

        var (ann, ben, cat) = (users[0].Token, users[1].Token, users[2].Token);
        string[] names = ["Morning desk chatter", "Hush hush strategy"];
        var floor = await client.CreateRoomAsync(ann, names[0]);
        var secret = await client.CreateRoomAsync(ann, names[1], "PRIVATE");
        (await client.SendAsync("mutation($r: ID!) { joinRoom(input: {roomId: $r}) { room { id } } }", new { r = floor }, ben)).Ok("joinRoom");
        (await client.InviteAsync(ann, secret, users[2].Id)).Ok("inviteToRoom");

        var texts = new List<string>();
        async Task<string> Post(string token, string room, string text)
        {
            texts.Add(text);
            return text.StartsWith("@assistant", StringComparison.Ordinal)
                ? await app.AndWaitForCascadesAsync(() => client.PostOkAsync(token, room, text))
                : await client.PostOkAsync(token, room, text);
        }

        await Post(ann, floor, "good morning, who is watching the tape?");
        var typo = await Post(ann, floor, "AAPL looks heavy tdoay");
        await Post(ben, floor, "same here, waiting for the open");
        var regret = await Post(ann, floor, "my account number is 12345, oops");
        await Post(ben, floor, "@assistant how is my portfolio?");
        await Post(ann, secret, "private thought: trim MSFT");
        await Post(cat, secret, "agreed, quietly");
        await Post(cat, secret, "@assistant quote AAPL");
        const string Fixed = "AAPL looks heavy today";
        texts.Add(Fixed);
        (await client.SendAsync("mutation($id: ID!, $t: String!) { editMessage(input: {messageId: $id, text: $t}) { message { id } } }",
            new { id = typo, t = Fixed }, ann)).Ok("editMessage");
        (await client.SendAsync("mutation($id: ID!) { deleteMessage(input: {messageId: $id}) { message { id } } }", new { id = regret }, ann))
            .Ok("deleteMessage");

        foreach (var (token, prompt) in new[] { (ann, "what can you do?"), (ann, "how is my portfolio doing?"), (ben, "my recent trades") })
        {
            texts.Add(prompt);
            (await client.AskAsync(token, prompt)).Ok("askAssistant");
        }

        await app.WaitForProjectionsAsync();
        return new Script(users, [Guid.Parse(floor), Guid.Parse(secret)], names, texts, Posted: 8, Deleted: 1, Mentions: 2, Asks: 3);
    }

    /// <summary>chat_messages_daily as "day room messages authors replies mentions deleted", from MessagePosted/Deleted.</summary>
    public static List<string> ExpectedChatRows(IReadOnlyList<IEvent> log)
    {
        var deleted = log.Select(e => e.Data).OfType<MessageDeleted>().Select(d => d.MessageId).ToHashSet();
        return [.. log.Select(e => e.Data).OfType<MessagePosted>()
            .GroupBy(m => (Day: Iso(m.PostedAt), Room: AnalyticsScenario.RoomKeyOf(m.RoomId)))
            .OrderBy(g => g.Key.Day, StringComparer.Ordinal).ThenBy(g => g.Key.Room, StringComparer.Ordinal)
            .Select(g => ChatRow(g.Key.Day, g.Key.Room, g.Count(),
                g.Where(m => m.AuthorId != ChatIds.AssistantUserId).Select(m => m.AuthorId).Distinct().Count(),
                g.Count(m => m.AuthorId == ChatIds.AssistantUserId), g.Count(m => m.MentionsAssistant), g.Count(m => deleted.Contains(m.MessageId))))];
    }

    /// <summary>ai_usage_daily as "day model requests failures users in out cost p50 p95", from the outcome events.</summary>
    public static List<string> ExpectedAiRows(IReadOnlyList<IEvent> log)
    {
        var outcomes = log.Select(e => e.Data switch
        {
            AssistantResponseReceived r => (Day: Iso(r.ReceivedAt), r.Model, r.UserId, Failed: false, In: (long)r.TokensIn, Out: (long)r.TokensOut,
                r.Cost, r.LatencyMs),
            AssistantRequestFailed f => (Day: Iso(f.FailedAt), f.Model, f.UserId, Failed: true, In: 0L, Out: 0L, Cost: 0m, f.LatencyMs),
            _ => default((string Day, string Model, Guid UserId, bool Failed, long In, long Out, decimal Cost, long LatencyMs)?),
        }).OfType<(string Day, string Model, Guid UserId, bool Failed, long In, long Out, decimal Cost, long LatencyMs)>();
        return [.. outcomes.GroupBy(o => (o.Day, o.Model))
            .OrderBy(g => g.Key.Day, StringComparer.Ordinal).ThenBy(g => g.Key.Model, StringComparer.Ordinal)
            .Select(g =>
            {
                var latencies = g.Select(o => o.LatencyMs).Order().ToList();
                return AiRow(g.Key.Day, g.Key.Model, g.Count(), g.Count(o => o.Failed), g.Select(o => o.UserId).Distinct().Count(),
                    g.Sum(o => o.In), g.Sum(o => o.Out), g.Sum(o => o.Cost), AnalyticsScenario.PercentileCont(latencies, 0.5m),
                    AnalyticsScenario.PercentileCont(latencies, 0.95m));
            })];
    }

    public static string ChatRow(string day, string room, int messages, int authors, int replies, int mentions, int deleted) =>
        $"{day} {room} messages={messages} authors={authors} replies={replies} mentions={mentions} deleted={deleted}";

    public static string AiRow(string day, string model, int requests, int failures, int users, long tokensIn, long tokensOut, decimal cost,
        decimal p50, decimal p95) =>
        $"{day} {model} requests={requests} failures={failures} users={users} in={tokensIn} out={tokensOut} cost={AnalyticsScenario.N(cost)} "
        + $"p50={AnalyticsScenario.N(p50)} p95={AnalyticsScenario.N(p95)}";

    /// <summary>The two daily tables as the analyst's SQL reads them, formatted like the expected rows.</summary>
    public static async Task<(List<string> Chat, List<string> Ai)> TableRowsAsync(AppFixture app)
    {
        var chat = await app.ScalarListAsync("""
            select concat(day, ' ', room_key, ' messages=', messages, ' authors=', authors, ' replies=', assistant_replies,
              ' mentions=', assistant_mentions, ' deleted=', deleted)
            from analytics.chat_messages_daily order by day, room_key collate "C"
            """);
        var ai = await app.ScalarListAsync("""
            select concat(day, ' ', model, ' requests=', requests, ' failures=', failures, ' users=', users, ' in=', tokens_in,
              ' out=', tokens_out, ' cost=', trim_scale(cost), ' p50=', trim_scale(latency_p50_ms), ' p95=', trim_scale(latency_p95_ms))
            from analytics.ai_usage_daily order by day, model collate "C"
            """);
        return ([.. chat], [.. ai]);
    }

    /// <summary>The same rows through GraphQL (`analytics { chatActivity aiUsage }`), as an analyst.</summary>
    public static async Task<(List<string> Chat, List<string> Ai)> GraphQLRowsAsync(GraphQLClient client, string analyst, DateOnly from,
        DateOnly to)
    {
        var analytics = (await client.SendAsync("""
            query($from: DateOnly!, $to: DateOnly!) { analytics {
              chatActivity(from: $from, to: $to) { day roomKey messages authors assistantReplies assistantMentions deleted }
              aiUsage(from: $from, to: $to) { day model requests failures users tokensIn tokensOut cost latencyP50Ms latencyP95Ms } } }
            """, new { from = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), to = to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) },
            analyst)).Ok("analytics");
        return (
            [.. analytics["chatActivity"]!.AsArray().Select(r => r!).Select(r => ChatRow(r.Str("day"), r.Str("roomKey"), Int(r, "messages"),
                Int(r, "authors"), Int(r, "assistantReplies"), Int(r, "assistantMentions"), Int(r, "deleted")))],
            [.. analytics["aiUsage"]!.AsArray().Select(r => r!).Select(r => AiRow(r.Str("day"), r.Str("model"), Int(r, "requests"),
                Int(r, "failures"), Int(r, "users"), r["tokensIn"]!.GetValue<long>(), r["tokensOut"]!.GetValue<long>(),
                r["cost"]!.GetValue<decimal>(), r["latencyP50Ms"]!.GetValue<decimal>(), r["latencyP95Ms"]!.GetValue<decimal>()))]);
    }

    private static int Int(System.Text.Json.Nodes.JsonNode node, string name) => node[name]!.GetValue<int>();

    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
