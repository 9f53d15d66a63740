using System.Globalization;
using System.Text.Json.Nodes;
using EventStore.Api.Assistant;
using EventStore.Domain.Assistant;
using EventStore.Domain.Chat;
using EventStore.IntegrationTests.Audit;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Trading;
using EventStore.IntegrationTests.Users;
using EventStore.Projections.Analytics;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Weasel.Core;
using Weasel.Core.Migrations;

namespace EventStore.IntegrationTests.Analytics;

/// <summary>
/// The `analytics` tables against figures computed here from the scenario's own trades (the blotter and the portfolio,
/// which other projections build) and from the log of a scripted conversation (offline assistant), the read-only role,
/// and rebuilds.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AnalyticsTests(AppFixture app) : IAsyncLifetime
{
    private const string AnalyticsQuery = """
        query($from: DateOnly!, $to: DateOnly!) { analytics {
          dailyVolume(from: $from, to: $to) { day symbol fills traders quantity buyQuantity sellQuantity notional fees }
          traderDailyFills(from: $from, to: $to) { day trader fills closingFills quantity notional fees realizedPnl }
          realizedPnl(from: $from, to: $to) { day traders closingFills winners losers total minimum p25 median p75 maximum }
          activeUsers(from: $from, to: $to) { day activeUsers newUsers } } }
        """;

    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private sealed record Fill(Guid UserId, string Symbol, string Side, decimal Quantity, decimal Price, decimal Fee, DateOnly Day);

    [Fact]
    public async Task the_tables_match_the_figures_of_the_scripted_trades()
    {
        var traders = await AnalyticsScenario.RunAsync(app, _client);
        var admin = await _client.LogInAsAdminAsync();
        var fills = new List<Fill>();
        var realized = new Dictionary<Guid, decimal>();
        foreach (var t in traders)
        {
            var blotter = (await _client.SendAsync("query($u: ID) { fills(userId: $u, first: 100) { edges { node { symbol side quantity price fee filledAt } } } }",
                new { u = t.Id }, admin)).Ok("fills")["edges"]!.AsArray().Select(e => e!["node"]!);
            fills.AddRange(blotter.Select(f => new Fill(t.Id, f.Str("symbol"), f.Str("side"), f.Dec("quantity"), f.Dec("price"), f.Dec("fee"),
                DateOnly.FromDateTime(DateTimeOffset.Parse(f.Str("filledAt"), CultureInfo.InvariantCulture).UtcDateTime))));
            realized[t.Id] = (await _client.SendAsync("query($u: ID) { portfolio(userId: $u) { realizedPnl } }", new { u = t.Id }, admin))
                .Ok("portfolio").Dec("realizedPnl");
        }

        // The script itself: 7 fills, 34 AAPL and 3 MSFT shares; fees are the 1.00 minimum each.
        Assert.Equal(7, fills.Count);
        Assert.Equal(37m, fills.Sum(f => f.Quantity));
        var (_, analyst) = await _client.RegisterWithRoleAsync("stats.analyst", "ANALYST");
        await app.WaitForProjectionsAsync();
        var days = fills.Select(f => f.Day).Distinct().Order().ToList();
        var from = days[0].AddDays(-1);
        var to = days[^1].AddDays(1);
        var analytics = (await _client.SendAsync(AnalyticsQuery, new { from = Iso(from), to = Iso(to) }, analyst)).Ok("analytics");

        var expectedVolume = fills.GroupBy(f => (f.Day, f.Symbol)).OrderBy(g => g.Key.Day).ThenBy(g => g.Key.Symbol, StringComparer.Ordinal)
            .Select(g => $"{Iso(g.Key.Day)} {g.Key.Symbol} fills={g.Count()} traders={g.Select(f => f.UserId).Distinct().Count()} "
                + $"qty={N(g.Sum(f => f.Quantity))} buy={N(g.Where(f => f.Side == "BUY").Sum(f => f.Quantity))} "
                + $"sell={N(g.Where(f => f.Side == "SELL").Sum(f => f.Quantity))} notional={N(g.Sum(f => f.Quantity * f.Price))} fees={N(g.Sum(f => f.Fee))}");
        Assert.Equal(expectedVolume, analytics["dailyVolume"]!.AsArray().Select(r => r!).Select(r =>
            $"{r.Str("day")} {r.Str("symbol")} fills={r["fills"]} traders={r["traders"]} qty={N(r.Dec("quantity"))} buy={N(r.Dec("buyQuantity"))} "
            + $"sell={N(r.Dec("sellQuantity"))} notional={N(r.Dec("notional"))} fees={N(r.Dec("fees"))}"));
        Assert.Contains(expectedVolume, row => row.Contains("AAPL fills=6 traders=3 qty=34 buy=20 sell=14 notional=3402", StringComparison.Ordinal));

        var expectedTraders = fills.GroupBy(f => (f.Day, Trader: AnalyticsScenario.PseudonymOf(f.UserId), f.UserId))
            .OrderBy(g => g.Key.Day).ThenBy(g => g.Key.Trader, StringComparer.Ordinal)
            .Select(g => $"{Iso(g.Key.Day)} {g.Key.Trader} fills={g.Count()} closing={g.Count(f => f.Side == "SELL")} qty={N(g.Sum(f => f.Quantity))} "
                + $"notional={N(g.Sum(f => f.Quantity * f.Price))} fees={N(g.Sum(f => f.Fee))} pnl={N(realized[g.Key.UserId])}");
        Assert.Equal(expectedTraders, analytics["traderDailyFills"]!.AsArray().Select(r => r!).Select(r =>
            $"{r.Str("day")} {r.Str("trader")} fills={r["fills"]} closing={r["closingFills"]} qty={N(r.Dec("quantity"))} "
            + $"notional={N(r.Dec("notional"))} fees={N(r.Dec("fees"))} pnl={N(r.Dec("realizedPnl"))}"));

        // One trading day here: the distribution is over the three traders who sold.
        Assert.Single(days);
        var pnl = traders.Take(3).Select(t => realized[t.Id]).Order().ToList();
        Assert.True(pnl[0] < 0 && pnl[2] > 0, "the script has a loser and winners");
        var distribution = Assert.Single(analytics["realizedPnl"]!.AsArray())!;
        Assert.Equal(
            $"{Iso(days[0])} traders=3 closing=3 winners={pnl.Count(x => x > 0)} losers={pnl.Count(x => x < 0)} total={N(pnl.Sum())} "
            + $"min={N(pnl[0])} p25={N(AnalyticsScenario.PercentileDisc(pnl, 0.25))} median={N(AnalyticsScenario.PercentileDisc(pnl, 0.5))} "
            + $"p75={N(AnalyticsScenario.PercentileDisc(pnl, 0.75))} max={N(pnl[2])}",
            $"{distribution.Str("day")} traders={distribution["traders"]} closing={distribution["closingFills"]} winners={distribution["winners"]} "
            + $"losers={distribution["losers"]} total={N(distribution.Dec("total"))} min={N(distribution.Dec("minimum"))} p25={N(distribution.Dec("p25"))} "
            + $"median={N(distribution.Dec("median"))} p75={N(distribution.Dec("p75"))} max={N(distribution.Dec("maximum"))}");

        // Registered today: the bootstrapped admin, the four scenario users and the analyst; all active, all new.
        var active = Assert.Single(analytics["activeUsers"]!.AsArray())!;
        Assert.Equal((Iso(days[0]), 6, 6), (active.Str("day"), active["activeUsers"]!.GetValue<int>(), active["newUsers"]!.GetValue<int>()));
    }

    [Fact]
    public async Task the_chat_and_ai_tables_match_the_figures_of_the_scripted_conversation()
    {
        var script = await ChatAiAnalyticsScenario.RunAsync(app, _client);
        var (_, analyst) = await _client.RegisterWithRoleAsync("chat.analyst", "ANALYST");
        var log = await app.AllEventsAsync();
        var expectedChat = ChatAiAnalyticsScenario.ExpectedChatRows(log);
        var expectedAi = ChatAiAnalyticsScenario.ExpectedAiRows(log);

        // The script itself: every post and one reply per @assistant, in two rooms; every question answered offline.
        var posted = log.Select(e => e.Data).OfType<MessagePosted>().ToList();
        Assert.Equal(script.Posted + script.Mentions, posted.Count);
        Assert.Equal(script.Rooms.Order(), posted.Select(m => m.RoomId).Distinct().Order());
        Assert.Equal(script.Mentions, posted.Count(m => m.InteractionId is not null));
        var answers = log.Select(e => e.Data).OfType<AssistantResponseReceived>().ToList();
        Assert.Equal(ChatAiAnalyticsScenario.ProviderCalls, answers.Count);
        Assert.All(answers, a => Assert.Equal((OfflineAssistantProvider.ModelName, 0m), (a.Model, a.Cost)));
        Assert.Equal(script.Mentions, answers.Count(a => a.RoomId is not null));
        Assert.Equal(ChatAiAnalyticsScenario.ProviderCalls, await app.ScalarAsync("select count(*) from analytics.ai_requests"));
        Assert.Equal(["conversation 3", "room 2"],
            await app.ScalarListAsync("select channel || ' ' || count(*) from analytics.ai_requests group by channel order by channel"));
        Assert.Contains(expectedChat, row => row.EndsWith("messages=6 authors=2 replies=1 mentions=1 deleted=1", StringComparison.Ordinal));
        Assert.Contains(expectedChat, row => row.EndsWith("messages=4 authors=2 replies=1 mentions=1 deleted=0", StringComparison.Ordinal));

        var tables = await ChatAiAnalyticsScenario.TableRowsAsync(app);
        Assert.Equal(expectedChat, tables.Chat);
        Assert.Equal(expectedAi, tables.Ai);
        var days = posted.Select(m => DateOnly.FromDateTime(m.PostedAt.UtcDateTime)).Order().ToList();
        var graphql = await ChatAiAnalyticsScenario.GraphQLRowsAsync(_client, analyst, days[0].AddDays(-1), days[^1].AddDays(1));
        Assert.Equal(expectedChat, graphql.Chat);
        Assert.Equal(expectedAi, graphql.Ai);
    }

    [Fact]
    public async Task no_analytics_table_holds_a_user_id_a_username_a_room_name_a_message_or_a_prompt()
    {
        var traders = await AnalyticsScenario.RunAsync(app, _client);
        var chat = await ChatAiAnalyticsScenario.RunAsync(app, _client);
        var everything = string.Join('\n', await AllRowsAsync());
        var log = await app.AllEventsAsync();

        Assert.Contains(AnalyticsScenario.PseudonymOf(traders[0].Id), everything, StringComparison.Ordinal);
        Assert.Contains(AnalyticsScenario.RoomKeyOf(chat.Rooms[0]), everything, StringComparison.Ordinal);
        var ids = traders.Concat(chat.Users).Select(t => t.Id).Concat(chat.Rooms)
            .Concat(log.Select(e => e.Data).OfType<MessagePosted>().Select(m => m.MessageId))
            .Concat(log.Select(e => e.Data).OfType<AssistantPromptSubmitted>().Select(p => p.InteractionId)).ToList();
        Assert.True(ids.Count > 20);
        foreach (var id in ids)
        {
            Assert.DoesNotContain(id.ToString("D"), everything, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(id.ToString("N"), everything, StringComparison.OrdinalIgnoreCase);
        }

        foreach (var text in traders.Concat(chat.Users).Select(t => t.Username).Concat(chat.RoomNames).Concat(chat.Texts))
        {
            Assert.DoesNotContain(text, everything, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task only_analysts_and_admins_query_analytics_and_a_bad_range_is_a_validation_error()
    {
        var (_, trader) = await _client.RegisterAndLogInAsync("stats.trader");
        var (_, auditor) = await _client.RegisterWithRoleAsync("stats.auditor", "AUDITOR");
        var (_, analyst) = await _client.RegisterWithRoleAsync("stats.reader", "ANALYST");
        const string Query = "query($from: DateOnly!, $to: DateOnly!) { analytics { dailyVolume(from: $from, to: $to) { day } } }";
        var range = new { from = "2026-01-01", to = "2026-01-31" };

        Assert.Equal(["FORBIDDEN"], (await _client.SendAsync(Query, range, trader)).Codes);
        Assert.Equal(["FORBIDDEN"], (await _client.SendAsync(Query, range, auditor)).Codes);
        Assert.Empty((await _client.SendAsync(Query, range, analyst)).Ok("analytics")["dailyVolume"]!.AsArray());
        Assert.Empty((await _client.SendAsync(Query, range, await _client.LogInAsAdminAsync())).Ok("analytics")["dailyVolume"]!.AsArray());
        Assert.Equal(["VALIDATION"], (await _client.SendAsync(Query, new { from = "2026-02-01", to = "2026-01-01" }, analyst)).Codes);
    }

    [Fact]
    public async Task the_read_only_role_reads_analytics_and_can_neither_write_nor_read_the_event_store()
    {
        await AnalyticsScenario.RunAsync(app, _client);
        await ChatAiAnalyticsScenario.RunAsync(app, _client);
        var builder = new NpgsqlConnectionStringBuilder(app.ConnectionString) { Username = "eventstore_analyst", Password = AppFixture.AnalystPassword };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();

        Assert.Equal(2L, await ScalarAsync(connection, "select count(*) from analytics.daily_volume"));
        foreach (var table in AnalyticsTables.AllTables)
        {
            await ScalarAsync(connection, $"select count(*) from {table}");
        }

        Assert.Equal(2L, await ScalarAsync(connection, "select count(*) from analytics.chat_messages_daily"));
        Assert.Equal(5L, await ScalarAsync(connection, "select sum(requests) from analytics.ai_usage_daily"));
        Assert.Equal(34m, await ScalarAsync(connection, "select quantity from analytics.daily_volume where symbol = 'AAPL'"));
        Assert.Equal(PostgresErrorCodes.ReadOnlySqlTransaction,
            (await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(connection, "delete from analytics.daily_volume"))).SqlState);
        // Even in a read-write transaction the role has no write privilege.
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(connection,
            "begin read write; insert into analytics.active_users_daily values ('2020-01-01', 1, 1); commit;"))).SqlState);
        await ScalarAsync(connection, "rollback");
        foreach (var write in new[] { "update analytics.ai_usage_daily set cost = 0", "delete from analytics.chat_messages",
            "insert into analytics.chat_messages_daily values ('2020-01-01', 'r_x', 1, 1, 0, 0, 0)" })
        {
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(connection,
                $"begin read write; {write}; commit;"))).SqlState);
            await ScalarAsync(connection, "rollback");
        }

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege,
            (await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(connection, "select count(*) from eventstore.mt_events"))).SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege,
            (await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(connection, "select count(*) from eventstore.mt_doc_userprofile"))).SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege,
            (await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(connection, "select count(*) from eventstore.search_documents"))).SqlState);
    }

    [Fact]
    public async Task applying_the_same_events_again_changes_no_row()
    {
        await AnalyticsScenario.RunAsync(app, _client);
        await ChatAiAnalyticsScenario.RunAsync(app, _client);
        var before = await AllRowsAsync();
        Assert.Contains(before, row => row.StartsWith("analytics.ai_usage_daily ", StringComparison.Ordinal));

        var store = app.Host.Services.GetRequiredService<IDocumentStore>();
        var pseudonyms = app.Host.Services.GetRequiredService<AnalyticsPseudonyms>();
        await using (var session = store.LightweightSession())
        {
            var events = await session.Events.QueryAllRawEvents().OrderBy(x => x.Sequence).ToListAsync();
            foreach (var projection in new AnalyticsProjection[] { new TradingAnalyticsProjection(pseudonyms),
                new ChatAnalyticsProjection(pseudonyms), new AiUsageAnalyticsProjection(pseudonyms) })
            {
                await projection.ApplyAsync(session,
                    [.. events.Where(e => projection.IncludedEventTypes.Contains(e.EventType))], CancellationToken.None);
            }

            await session.SaveChangesAsync();
        }

        Assert.Equal(before, await AllRowsAsync());
    }

    [Fact]
    public async Task rebuilding_each_analytics_projection_reproduces_identical_tables()
    {
        await AnalyticsScenario.RunAsync(app, _client);
        await ChatAiAnalyticsScenario.RunAsync(app, _client);
        await CommunityActivityAsync();
        var live = await AllRowsAsync();
        foreach (var table in AnalyticsTables.AllTables)
        {
            Assert.Contains(live, row => row.StartsWith(table + " ", StringComparison.Ordinal));
        }

        await app.SqlAsync("""
            delete from analytics.daily_volume; update analytics.fills set quantity = 0; delete from analytics.active_users_daily;
            delete from analytics.chat_message_deletions; update analytics.chat_messages_daily set messages = 0;
            update analytics.ai_requests set cost = cost + 1; delete from analytics.ai_usage_daily;
            delete from analytics.community_daily; update analytics.community_likes set delta = 0
            """);

        var admin = await _client.LogInAsAdminAsync();
        foreach (var name in new[] { TradingAnalyticsProjection.ProjectionName, ChatAnalyticsProjection.ProjectionName,
            AiUsageAnalyticsProjection.ProjectionName, CommunityAnalyticsProjection.ProjectionName })
        {
            (await _client.SendAsync("mutation($name: String!) { rebuildProjection(name: $name) { name } }", new { name }, admin))
                .Ok("rebuildProjection");
        }

        await app.WaitForProjectionsAsync();

        Assert.Equal(live, await AllRowsAsync());
    }

    [Fact]
    public async Task a_restart_finds_every_analytics_table_as_defined()
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();

        var migration = await SchemaMigration.DetermineAsync(connection, CancellationToken.None,
            [.. AnalyticsTables.BuildAll()]);

        Assert.Equal(SchemaPatchDifference.None, migration.Difference);
    }

    /// <summary>A post on a symbol, one without, a comment, a like and an unlike: a row in every community table.</summary>
    private async Task CommunityActivityAsync()
    {
        var (_, poster) = await _client.RegisterAndLogInAsync("stats.community.poster");
        var (_, reader) = await _client.RegisterAndLogInAsync("stats.community.reader");
        var post = await Community.CommunityScenarios.CreatePostOkAsync(_client, poster, "an idea", "AAPL");
        await Community.CommunityScenarios.CreatePostOkAsync(_client, poster, "a note");
        (await _client.SendAsync("mutation($p: ID!) { commentOnPost(input: {postId: $p, text: \"why?\"}) { comment { id } } }",
            new { p = post }, reader)).Ok("commentOnPost");
        (await _client.SendAsync("mutation($p: ID!) { likePost(input: {postId: $p}) { post { id } } }", new { p = post }, reader)).Ok("likePost");
        (await _client.SendAsync("mutation($p: ID!) { unlikePost(input: {postId: $p}) { post { id } } }", new { p = post }, reader)).Ok("unlikePost");
        await app.WaitForProjectionsAsync();
    }

    /// <summary>Every row of every analytics table, as text, in a stable order.</summary>
    private async Task<List<string>> AllRowsAsync()
    {
        var rows = new List<string>();
        foreach (var table in AnalyticsTables.AllTables)
        {
            rows.AddRange((await app.ScalarListAsync($"select t::text from {table} t order by 1")).Select(r => $"{table} {r}"));
        }

        return rows;
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string N(decimal value) => AnalyticsScenario.N(value);
}
