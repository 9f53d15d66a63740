using EventStore.Domain.Community;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Limits;
using EventStore.IntegrationTests.Users;

namespace EventStore.IntegrationTests.Community;

/// <summary>`GraphQL:PostsPerMinutePerUser` on a node of its own: posting is limited per user, reading is not.</summary>
[Collection(AppCollection.Name)]
public sealed class PostingRateLimitTests(AppFixture app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task posts_and_comments_beyond_the_allowance_are_rate_limited_and_append_nothing_while_reads_go_on()
    {
        await using var node = await app.StartSecondNodeAsync(("GraphQL:PostsPerMinutePerUser", "3"));
        var (_, token) = await new GraphQLClient(app.Host).RegisterAndLogInAsync("eager-poster");
        const string Aliased = "mutation { a: createPost(input: {text: \"one\"}) { post { id } } b: createPost(input: {text: \"two\"}) { post { id } } }";

        var first = await LimitedHttp.PostAsync(node, "10.20.0.1", Aliased, token: token);
        var post = first.Json["data"]!["a"]!["post"]!["id"]!.GetValue<string>();
        var second = await LimitedHttp.PostAsync(node, "10.20.0.1",
            "mutation($p: ID!) { c: commentOnPost(input: {postId: $p, text: \"three\"}) { comment { id } } d: createPost(input: {text: \"four\"}) { post { id } } }",
            new { p = post }, token);
        var read = await LimitedHttp.PostAsync(node, "10.20.0.1", "{ feed { edges { node { id } } } }", token: token);

        Assert.Equal(0, first.Count("RATE_LIMITED"));
        Assert.Equal(1, second.Count("RATE_LIMITED"));
        // The refused field is the fourth posting field, `d`; the comment before it ran (a non-null field refused nulls `data`).
        Assert.Equal("d", second.Errors.Single()["path"]![0]!.GetValue<string>());
        Assert.Empty(read.Errors);
        var events = await app.AllEventsAsync();
        Assert.Equal(2, events.Count(e => e.Data is PostCreated));
        Assert.Single(events, e => e.Data is PostCommented);
    }
}
