using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Integration;
using EventStore.IntegrationTests.Search;
using EventStore.IntegrationTests.Users;
using EventStore.Projections.Analytics;
using Npgsql;
using Wolverine;
using Wolverine.Tracking;
using Microsoft.Extensions.DependencyInjection;
using Published = EventStore.Contracts.Community;

namespace EventStore.IntegrationTests.Community;

/// <summary>Community and the other modules: notifications (local queue), PostgreSQL search, analytics tables.</summary>
[Collection(AppCollection.Name)]
public sealed class CommunityIntegrationTests(AppFixture app) : IAsyncLifetime
{
    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task a_new_follower_and_mentions_in_posts_and_comments_notify_the_user_concerned()
    {
        var (bobId, bob) = await _client.RegisterAndLogInAsync("notified.bob");
        var (_, alice) = await _client.RegisterAndLogInAsync("notified.alice");
        var (_, carol) = await _client.RegisterAndLogInAsync("notified.carol");

        await HandledAsync<Published.UserFollowed>(() => _client.FollowOkAsync(alice, bobId));
        var post = "";
        await HandledAsync<Published.PostMentionedUser>(async () => post = await _client.CreatePostOkAsync(alice, "what do you say, @notified.bob?"));
        await HandledAsync<Published.PostMentionedUser>(async () =>
            (await _client.SendAsync("mutation($p: ID!) { commentOnPost(input: {postId: $p, text: \"+1 @Notified.Bob\"}) { comment { id } } }",
                new { p = post }, carol)).Ok("commentOnPost"));
        await app.WaitForProjectionsAsync();

        var kinds = (await _client.NotificationsAsync(bob)).Select(n => (n!["node"]!.Str("kind"), n["node"]!["title"]!.GetValue<string>()))
            .OrderBy(k => k.Item1, StringComparer.Ordinal).ToList();
        Assert.Equal([("FOLLOWED", "You have a new follower"), ("MENTIONED", "You were mentioned"), ("MENTIONED", "You were mentioned")], kinds);
        Assert.All((await _client.NotificationsAsync(bob)).Where(n => n!["node"]!.Str("kind") == "MENTIONED"),
            n => Assert.Equal(post, n!["node"]!.Str("subjectId")));
        Assert.Empty(await _client.NotificationsAsync(alice));
        Assert.Empty(await _client.NotificationsAsync(carol));
    }

    [Fact]
    public async Task a_hidden_post_and_its_comments_leave_search_for_others_but_not_for_its_author_and_moderators()
    {
        var (_, alice) = await _client.RegisterAndLogInAsync("search.alice");
        var (_, bob) = await _client.RegisterAndLogInAsync("search.bob");
        var (_, carol) = await _client.RegisterAndLogInAsync("search.carol");
        var (_, moderator) = await _client.RegisterWithRoleAsync("search.moderator", "MODERATOR");
        var post = await _client.CreatePostOkAsync(alice, "rocketfuel breakout on AAPL", "AAPL");
        (await _client.SendAsync("mutation($p: ID!) { commentOnPost(input: {postId: $p, text: \"rocketfuel indeed\"}) { comment { id } } }",
            new { p = post }, bob)).Ok("commentOnPost");
        await app.WaitForProjectionsAsync();
        var before = await _client.SearchAsync(carol, "rocketfuel");

        (await _client.ModerateAsync(moderator, "hidePost", post, "spam")).Ok("hidePost");
        await app.WaitForProjectionsAsync();

        Assert.Equal(["COMMENT", "POST"], before.Hits().Select(h => h.Str("type")).Order(StringComparer.Ordinal));
        Assert.Empty((await _client.SearchAsync(carol, "rocketfuel")).Hits());
        Assert.Empty((await _client.SearchAsync(bob, "rocketfuel")).Hits());
        Assert.Equal(2, (await _client.SearchAsync(alice, "rocketfuel")).Hits().Count);
        Assert.Equal(2, (await _client.SearchAsync(moderator, "rocketfuel")).Hits().Count);

        (await _client.ModerateAsync(moderator, "restorePost", post, "fine after all")).Ok("restorePost");
        await app.WaitForProjectionsAsync();
        Assert.Equal(2, (await _client.SearchAsync(carol, "rocketfuel")).Hits().Count);
    }

    [Fact]
    public async Task analytics_count_posts_comments_and_likes_per_day_and_symbol_under_pseudonyms_only()
    {
        var (aliceId, alice) = await _client.RegisterAndLogInAsync("stats.poster");
        var (bobId, bob) = await _client.RegisterAndLogInAsync("stats.liker");
        var post = await _client.CreatePostOkAsync(alice, "analytics canary text", "AAPL");
        await _client.CreatePostOkAsync(alice, "no symbol here");
        (await _client.SendAsync("mutation($p: ID!) { commentOnPost(input: {postId: $p, text: \"canary comment\"}) { comment { id } } }",
            new { p = post }, bob)).Ok("commentOnPost");
        (await _client.SendAsync("mutation($p: ID!) { likePost(input: {postId: $p}) { post { id } } }", new { p = post }, bob)).Ok("likePost");
        (await _client.SendAsync("mutation($p: ID!) { unlikePost(input: {postId: $p}) { post { id } } }", new { p = post }, bob)).Ok("unlikePost");
        await app.WaitForProjectionsAsync();

        var builder = new NpgsqlConnectionStringBuilder(app.ConnectionString) { Username = "eventstore_analyst", Password = AppFixture.AnalystPassword };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        var rows = new List<string>();
        await using (var command = new NpgsqlCommand(
            "select symbol, posts, comments, likes, unlikes, authors from analytics.community_daily order by symbol collate \"C\"", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add($"{reader.GetString(0)}|{reader.GetInt32(1)} {reader.GetInt32(2)} {reader.GetInt32(3)} {reader.GetInt32(4)} {reader.GetInt32(5)}");
            }
        }

        Assert.Equal(["|1 0 0 0 1", "AAPL|1 1 1 1 2"], rows);
        var pseudonyms = app.Host.Services.GetRequiredService<AnalyticsPseudonyms>();
        await using (var command = new NpgsqlCommand("select author from analytics.community_posts", connection))
        {
            Assert.Equal(pseudonyms.Trader(aliceId), await command.ExecuteScalarAsync());
        }

        // No id, name or text in clear in any community table.
        foreach (var table in AnalyticsTables.CommunityTables)
        {
            await using var command = new NpgsqlCommand($"select string_agg(t::text, ' ') from {table} t", connection);
            var all = (await command.ExecuteScalarAsync()) as string ?? "";
            foreach (var needle in new[] { aliceId.ToString(), bobId.ToString(), post, "stats.", "canary" })
            {
                Assert.DoesNotContain(needle, all, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    /// <summary>Runs <paramref name="action"/> and waits until the integration event it causes has been handled (Wolverine tracking).</summary>
    private async Task HandledAsync<TMessage>(Func<Task> action) =>
        await app.Host.TrackActivity().Timeout(TimeSpan.FromSeconds(60)).WaitForExecutionOf<TMessage>()
            .ExecuteAndWaitAsync((Func<IMessageContext, Task>)(async _ => await action()));
}
