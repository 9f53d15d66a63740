using System.Text.Json.Nodes;
using EventStore.IntegrationTests.Infrastructure;

namespace EventStore.IntegrationTests.Community;

/// <summary>Community preconditions through the public API.</summary>
public static class CommunityScenarios
{
    public const string PostFields =
        "id authorId author text symbol direction horizon attachmentIds mentions editedAt revisions { text } deleted hidden " +
        "moderationReason reportCount likeCount likedByMe commentCount version";

    public static Task<GraphQLResponse> CreatePostAsync(this GraphQLClient client, string token, string text, string? symbol = null,
        string? direction = null, string? horizon = null, Guid[]? attachmentIds = null) =>
        client.SendAsync($"mutation($input: CreatePostInput!) {{ createPost(input: $input) {{ post {{ {PostFields} }} }} }}",
            new { input = new { text, symbol, direction, horizon, attachmentIds } }, token);

    public static async Task<string> CreatePostOkAsync(this GraphQLClient client, string token, string text, string? symbol = null) =>
        (await client.CreatePostAsync(token, text, symbol)).Ok("createPost")["post"]!.Str("id");

    public static Task<GraphQLResponse> FollowAsync(this GraphQLClient client, string token, Guid userId, bool follow = true) =>
        client.SendAsync($"mutation($u: ID!) {{ {(follow ? "follow" : "unfollow")}(input: {{userId: $u}}) {{ userId following }} }}",
            new { u = userId }, token);

    public static async Task FollowOkAsync(this GraphQLClient client, string token, Guid userId) =>
        (await client.FollowAsync(token, userId)).Ok("follow");

    public static Task<GraphQLResponse> ModerateAsync(this GraphQLClient client, string token, string field, string postId, string reason) =>
        client.SendAsync($"mutation($input: PostReasonInput!) {{ {field}(input: $input) {{ post {{ {PostFields} }} }} }}",
            new { input = new { postId, reason } }, token);

    public static Task<GraphQLResponse> FeedAsync(this GraphQLClient client, string token, int? first = null, string? after = null) =>
        client.SendAsync($"query($f: Int, $a: String) {{ feed(first: $f, after: $a) {{ edges {{ cursor node {{ {PostFields} }} }} pageInfo {{ hasNextPage endCursor }} }} }}",
            new { f = first, a = after }, token);

    public static Task<GraphQLResponse> PostsAsync(this GraphQLClient client, string token, Guid? authorId = null, string? symbol = null,
        int? first = null, string? after = null) =>
        client.SendAsync($"query($u: ID, $s: String, $f: Int, $a: String) {{ posts(authorId: $u, symbol: $s, first: $f, after: $a) {{ edges {{ cursor node {{ {PostFields} }} }} pageInfo {{ hasNextPage endCursor }} }} }}",
            new { u = authorId, s = symbol, f = first, a = after }, token);

    public static Task<GraphQLResponse> PostAsync(this GraphQLClient client, string token, string id) =>
        client.SendAsync($"query($id: ID!) {{ post(id: $id) {{ {PostFields} comments {{ id author text mentions }} }} }}", new { id }, token);

    public static async Task<IReadOnlyList<string>> FeedTextsAsync(this GraphQLClient client, string token) =>
        Texts((await client.FeedAsync(token)).Ok("feed"));

    public static async Task<IReadOnlyList<string>> PostTextsAsync(this GraphQLClient client, string token, Guid? authorId = null,
        string? symbol = null) =>
        Texts((await client.PostsAsync(token, authorId, symbol)).Ok("posts"));

    public static IReadOnlyList<string> Texts(JsonNode connection) =>
        [.. connection["edges"]!.AsArray().Select(e => e!["node"]!["text"]?.GetValue<string>() ?? "<null>")];
}
