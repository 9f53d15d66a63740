using EventStore.Domain.Community;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;

namespace EventStore.IntegrationTests.Community;

/// <summary>Reports, hiding and restoring posts; who sees a hidden post.</summary>
[Collection(AppCollection.Name)]
public sealed class ModerationTests(AppFixture app) : IAsyncLifetime
{
    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task a_hidden_post_is_gone_for_others_but_its_author_and_moderators_still_see_it_until_restored()
    {
        var (authorId, author) = await _client.RegisterAndLogInAsync("hidden-author");
        var (_, follower) = await _client.RegisterAndLogInAsync("hidden-follower");
        var (_, moderator) = await _client.RegisterWithRoleAsync("the-moderator", "MODERATOR");
        await _client.FollowOkAsync(follower, authorId);
        await _client.FollowOkAsync(moderator, authorId);
        var post = await _client.CreatePostOkAsync(author, "pump and dump GOOGL", "GOOGL");
        (await _client.SendAsync("mutation($p: ID!) { reportPost(input: {postId: $p, reason: \"spam\"}) }", new { p = post }, follower))
            .Ok("reportPost");

        var byTrader = await _client.ModerateAsync(follower, "hidePost", post, "I do not like it");
        var hidden = (await _client.ModerateAsync(moderator, "hidePost", post, "market manipulation")).Ok("hidePost")["post"]!;
        await app.WaitForProjectionsAsync();

        Assert.Equal(["FORBIDDEN"], byTrader.Codes);
        Assert.True(hidden["hidden"]!.GetValue<bool>());
        Assert.Equal(1, hidden["reportCount"]!.GetValue<int>());
        Assert.Empty(await _client.FeedTextsAsync(follower));
        Assert.Empty(await _client.PostTextsAsync(follower, authorId));
        Assert.Empty(await _client.PostTextsAsync(follower, symbol: "GOOGL"));
        Assert.Equal(["NOT_FOUND"], (await _client.PostAsync(follower, post)).Codes);
        Assert.Equal(["NOT_FOUND"], (await _client.SendAsync("mutation($p: ID!) { likePost(input: {postId: $p}) { post { id } } }",
            new { p = post }, follower)).Codes);
        Assert.Equal(["pump and dump GOOGL"], await _client.FeedTextsAsync(author));
        Assert.Equal(["pump and dump GOOGL"], await _client.FeedTextsAsync(moderator));
        var asAuthor = (await _client.PostAsync(author, post)).Ok("post");
        Assert.Equal("market manipulation", asAuthor.Str("moderationReason"));
        Assert.Null(asAuthor["reportCount"]);

        (await _client.ModerateAsync(moderator, "restorePost", post, "appeal accepted")).Ok("restorePost");
        await app.WaitForProjectionsAsync();
        Assert.Equal(["pump and dump GOOGL"], await _client.FeedTextsAsync(follower));
        var stream = (await app.AllEventsAsync()).Where(e => e.StreamId == Guid.Parse(post)).Select(e => e.Data.GetType());
        Assert.Equal([typeof(PostCreated), typeof(PostReported), typeof(PostHidden), typeof(PostRestored)], stream);
    }

    [Fact]
    public async Task admins_moderate_too_and_auditors_read_the_moderation_events()
    {
        var (_, author) = await _client.RegisterAndLogInAsync("audited-author");
        var (_, auditor) = await _client.RegisterWithRoleAsync("the-auditor", "AUDITOR");
        var admin = await _client.LogInAsAdminAsync();
        var post = await _client.CreatePostOkAsync(author, "to be hidden");

        (await _client.ModerateAsync(admin, "hidePost", post, "off topic")).Ok("hidePost");
        var again = (await _client.ModerateAsync(admin, "hidePost", post, "still off topic")).Ok("hidePost")["post"]!;
        var events = await _client.SendAsync("query($s: ID!) { auditStream(streamId: $s) { type } }", new { s = post }, auditor);

        Assert.True(again["hidden"]!.GetValue<bool>());
        Assert.Single(await app.AllEventsAsync(), e => e.Data is PostHidden); // hiding twice: one event
        Assert.Equal(["post_created", "post_hidden"], events.Ok("auditStream").AsArray().Select(e => e!.Str("type")));
    }
}
