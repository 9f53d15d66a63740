using EventStore.Domain.Community;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;
using EventStore.IntegrationTests.WebSockets;

namespace EventStore.IntegrationTests.Community;

/// <summary>Posts, follows, the feed and its live updates through the real GraphQL stack on PostgreSQL.</summary>
[Collection(AppCollection.Name)]
public sealed class PostTests(AppFixture app) : IAsyncLifetime
{
    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task a_followers_feed_and_feed_updates_get_a_new_post_and_a_non_followers_feed_does_not()
    {
        var (authorId, author) = await _client.RegisterAndLogInAsync("idea-author");
        var (_, follower) = await _client.RegisterAndLogInAsync("idea-follower");
        var (_, stranger) = await _client.RegisterAndLogInAsync("idea-stranger");
        await _client.FollowOkAsync(follower, authorId);
        await app.WaitForProjectionsAsync(); // the author's profile (the update's `author`) is projected
        await using var socket = await GraphQLWebSocketClient.ConnectAndInitAsync(app.Host,
            new Dictionary<string, string> { ["authorization"] = "Bearer " + follower });
        await socket.SubscribeAsync("feed", "subscription { feedUpdates { sequence post { text author symbol direction horizon } } }");
        // The subscription is live once the server has seen it: a query on the same socket answers after it started.
        await socket.SubscribeAsync("ping", "{ __typename }");
        Assert.Equal("ping", (await socket.ReceiveAsync()).Str("id"));

        var created = (await _client.CreatePostAsync(author, "AAPL breaks out\nwatching 200", "aapl", "LONG", "SWING"))
            .Ok("createPost")["post"]!;

        Assert.Equal("AAPL", created.Str("symbol"));
        Assert.Equal("LONG", created.Str("direction"));
        Assert.Equal("SWING", created.Str("horizon"));
        var next = await ReceiveNextAsync(socket, "feed");
        Assert.Equal("AAPL breaks out\nwatching 200", next["payload"]!["data"]!["feedUpdates"]!["post"]!.Str("text"));
        Assert.Equal("idea-author", next["payload"]!["data"]!["feedUpdates"]!["post"]!.Str("author"));
        await app.WaitForProjectionsAsync();
        Assert.Equal(["AAPL breaks out\nwatching 200"], await _client.FeedTextsAsync(follower));
        Assert.Equal(["AAPL breaks out\nwatching 200"], await _client.FeedTextsAsync(author));
        Assert.Empty(await _client.FeedTextsAsync(stranger));
        Assert.Equal(["AAPL breaks out\nwatching 200"], await _client.PostTextsAsync(stranger, authorId));
    }

    [Fact]
    public async Task the_feed_is_newest_first_and_cursor_paged_and_unfollowing_removes_the_authors_posts()
    {
        var (authorId, author) = await _client.RegisterAndLogInAsync("pager");
        var (_, reader) = await _client.RegisterAndLogInAsync("pager-reader");
        await _client.FollowOkAsync(reader, authorId);
        foreach (var text in new[] { "one", "two", "three" })
        {
            await _client.CreatePostOkAsync(author, text, text == "two" ? "MSFT" : null);
        }

        await app.WaitForProjectionsAsync();
        var first = (await _client.FeedAsync(reader, first: 2)).Ok("feed");
        var rest = (await _client.FeedAsync(reader, first: 2, after: first["pageInfo"]!.Str("endCursor"))).Ok("feed");
        var onMsft = await _client.PostTextsAsync(reader, symbol: "msft");
        (await _client.FollowAsync(reader, authorId, follow: false)).Ok("unfollow");
        await app.WaitForProjectionsAsync();

        Assert.Equal(["three", "two"], CommunityScenarios.Texts(first));
        Assert.True(first["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
        Assert.Equal(["one"], CommunityScenarios.Texts(rest));
        Assert.False(rest["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
        Assert.Equal(["two"], onMsft);
        Assert.Empty(await _client.FeedTextsAsync(reader));
    }

    [Fact]
    public async Task follows_and_likes_are_idempotent_and_nobody_follows_themselves()
    {
        var (authorId, author) = await _client.RegisterAndLogInAsync("liked");
        var (fanId, fan) = await _client.RegisterAndLogInAsync("fan");
        var post = await _client.CreatePostOkAsync(author, "like me");
        const string like = "mutation($p: ID!) { likePost(input: {postId: $p}) { post { likeCount likedByMe } } }";
        const string unlike = "mutation($p: ID!) { unlikePost(input: {postId: $p}) { post { likedByMe } } }";

        var followed = (await _client.FollowAsync(fan, authorId)).Ok("follow");
        (await _client.FollowAsync(fan, authorId)).Ok("follow");
        var self = await _client.FollowAsync(fan, fanId);
        var liked = (await _client.SendAsync(like, new { p = post }, fan)).Ok("likePost")["post"]!;
        (await _client.SendAsync(like, new { p = post }, fan)).Ok("likePost");
        (await _client.SendAsync(like, new { p = post }, author)).Ok("likePost");
        var unliked = (await _client.SendAsync(unlike, new { p = post }, author)).Ok("unlikePost")["post"]!;
        (await _client.SendAsync(unlike, new { p = post }, author)).Ok("unlikePost");

        Assert.True(followed["following"]!.GetValue<bool>());
        Assert.Equal(["VALIDATION"], self.Codes);
        Assert.True(liked["likedByMe"]!.GetValue<bool>());
        Assert.False(unliked["likedByMe"]!.GetValue<bool>());
        await app.WaitForProjectionsAsync();
        var node = (await _client.PostAsync(fan, post)).Ok("post");
        Assert.Equal(1, node["likeCount"]!.GetValue<int>());
        var events = (await app.AllEventsAsync()).Select(e => e.Data).ToList();
        Assert.Single(events.OfType<UserFollowed>());
        Assert.Equal(2, events.OfType<PostLiked>().Count());
        Assert.Single(events.OfType<PostUnliked>());
    }

    [Fact]
    public async Task an_edit_keeps_the_earlier_text_and_only_the_author_edits_or_deletes_and_a_delete_redacts()
    {
        var (authorId, author) = await _client.RegisterAndLogInAsync("editor");
        var (_, other) = await _client.RegisterAndLogInAsync("not-editor");
        var admin = await _client.LogInAsAdminAsync();
        var post = await _client.CreatePostOkAsync(author, "secret idea v1");
        const string edit = "mutation($p: ID!, $t: String!) { editPost(input: {postId: $p, text: $t}) { post { text editedAt revisions { text } } } }";
        const string delete = "mutation($p: ID!) { deletePost(input: {postId: $p}) { post { text deleted revisions { text } } } }";

        var edited = (await _client.SendAsync(edit, new { p = post, t = "secret idea v2" }, author)).Ok("editPost")["post"]!;
        var byOther = await _client.SendAsync(edit, new { p = post, t = "hijack" }, other);
        var deleteByOther = await _client.SendAsync(delete, new { p = post }, other);
        var deleteByAdmin = await _client.SendAsync(delete, new { p = post }, admin);
        var deleted = (await _client.SendAsync(delete, new { p = post }, author)).Ok("deletePost")["post"]!;
        (await _client.SendAsync(delete, new { p = post }, author)).Ok("deletePost");
        var editAfter = await _client.SendAsync(edit, new { p = post, t = "back" }, author);

        Assert.Equal("secret idea v2", edited.Str("text"));
        Assert.Equal(["secret idea v1"], edited["revisions"]!.AsArray().Select(r => r!.Str("text")));
        Assert.Equal(["FORBIDDEN"], byOther.Codes);
        Assert.Equal(["FORBIDDEN"], deleteByOther.Codes);
        Assert.Equal(["FORBIDDEN"], deleteByAdmin.Codes);
        Assert.Null(deleted["text"]);
        Assert.True(deleted["deleted"]!.GetValue<bool>());
        Assert.Empty(deleted["revisions"]!.AsArray());
        Assert.Equal(["CONFLICT"], editAfter.Codes);
        await app.WaitForProjectionsAsync();
        var read = await _client.PostAsync(other, post);
        Assert.True(read.Ok("post")["deleted"]!.GetValue<bool>());
        Assert.DoesNotContain("secret idea", read.Body, StringComparison.Ordinal);
        Assert.Empty(await _client.FeedTextsAsync(author));
        Assert.Empty(await _client.PostTextsAsync(other, authorId));
        var stream = (await app.AllEventsAsync()).Where(e => e.StreamId == Guid.Parse(post)).Select(e => e.Data.GetType());
        Assert.Equal([typeof(PostCreated), typeof(PostEdited), typeof(PostDeleted)], stream);
    }

    [Fact]
    public async Task comments_show_under_the_post_and_mentions_resolve_to_registered_users()
    {
        var (_, author) = await _client.RegisterAndLogInAsync("commented");
        var (mentionedId, _) = await _client.RegisterAndLogInAsync("mentioned-one");
        var (_, commenter) = await _client.RegisterAndLogInAsync("commenter");
        var post = await _client.CreatePostOkAsync(author, "what do you think @mentioned-one and @nobody-here?");
        const string comment = "mutation($p: ID!, $t: String!) { commentOnPost(input: {postId: $p, text: $t}) { comment { id text author mentions } } }";

        var made = (await _client.SendAsync(comment, new { p = post, t = "agree, cc @mentioned-one" }, commenter)).Ok("commentOnPost")["comment"]!;
        var onMissing = await _client.SendAsync(comment, new { p = Guid.NewGuid(), t = "hello?" }, commenter);

        Assert.NotNull(made["id"]);
        Assert.Equal([mentionedId.ToString()], made["mentions"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal(["NOT_FOUND"], onMissing.Codes);
        await app.WaitForProjectionsAsync();
        var node = (await _client.PostAsync(commenter, post)).Ok("post");
        Assert.Equal([mentionedId.ToString()], node["mentions"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal(1, node["commentCount"]!.GetValue<int>());
        Assert.Equal(["agree, cc @mentioned-one"], node["comments"]!.AsArray().Select(c => c!.Str("text")));
        // The username comes from the user's profile read model, current once the projections have caught up.
        Assert.Equal(["commenter"], node["comments"]!.AsArray().Select(c => c!.Str("author")));
    }

    [Fact]
    public async Task refused_inputs_append_nothing()
    {
        var (_, author) = await _client.RegisterAndLogInAsync("refused");
        var post = await _client.CreatePostOkAsync(author, "a valid post");
        var before = (await app.AllEventsAsync()).Count;

        var blank = await _client.CreatePostAsync(author, "   ");
        var tooLong = await _client.CreatePostAsync(author, new string('x', CommunityRules.PostTextMaxLength + 1));
        var unknownSymbol = await _client.CreatePostAsync(author, "on a ghost", "NOPE");
        var attachments = await _client.CreatePostAsync(author, "with a file", attachmentIds: [Guid.NewGuid()]);
        var badDirection = await _client.SendAsync("mutation { createPost(input: {text: \"x\", direction: SIDEWAYS}) { post { id } } }",
            token: author);
        var blankReason = await _client.SendAsync("mutation($p: ID!) { reportPost(input: {postId: $p, reason: \" \"}) }", new { p = post }, author);
        var blankComment = await _client.SendAsync("mutation($p: ID!) { commentOnPost(input: {postId: $p, text: \"\"}) { comment { id } } }",
            new { p = post }, author);
        var badId = await _client.SendAsync("mutation { likePost(input: {postId: \"not-a-uuid\"}) { post { id } } }", token: author);

        Assert.Equal(["VALIDATION"], blank.Codes);
        Assert.Equal(["VALIDATION"], tooLong.Codes);
        Assert.Equal(["VALIDATION"], unknownSymbol.Codes);
        // An id that is not one of the author's files (here: no file at all) is not found, and the post is not written.
        Assert.Equal(["NOT_FOUND"], attachments.Codes);
        Assert.Equal(["VALIDATION"], badDirection.Codes);
        Assert.Equal(["VALIDATION"], blankReason.Codes);
        Assert.Equal(["VALIDATION"], blankComment.Codes);
        Assert.Equal(["VALIDATION"], badId.Codes);
        Assert.All(new[] { blank, tooLong, unknownSymbol, attachments, badDirection, blankReason, blankComment, badId },
            r => Assert.True(r.Status < 500, r.Body));
        Assert.Equal(before, (await app.AllEventsAsync()).Count);
    }

    private static async Task<System.Text.Json.Nodes.JsonObject> ReceiveNextAsync(GraphQLWebSocketClient socket, string id)
    {
        var message = await socket.ReceiveAsync();
        while (message.Str("id") != id)
        {
            message = await socket.ReceiveAsync();
        }

        Assert.Equal("next", message.Str("type"));
        return message;
    }
}
