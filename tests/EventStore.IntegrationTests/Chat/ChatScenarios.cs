using System.Text.Json.Nodes;
using EventStore.IntegrationTests.Infrastructure;

namespace EventStore.IntegrationTests.Chat;

/// <summary>Chat preconditions through the public API.</summary>
public static class ChatScenarios
{
    public const string MessageFields = "id roomId authorId author text deleted deletedBy mentions mentionsAssistant interactionId editedAt revisions { text } version";

    public static async Task<string> CreateRoomAsync(this GraphQLClient client, string token, string name, string visibility = "PUBLIC") =>
        (await client.SendAsync("mutation($input: CreateRoomInput!) { createRoom(input: $input) { room { id } } }",
            new { input = new { name, visibility } }, token)).Ok("createRoom")["room"]!.Str("id");

    public static Task<GraphQLResponse> PostAsync(this GraphQLClient client, string token, string roomId, string text) =>
        client.SendAsync($"mutation($input: PostMessageInput!) {{ postMessage(input: $input) {{ message {{ {MessageFields} }} }} }}",
            new { input = new { roomId, text } }, token);

    public static async Task<string> PostOkAsync(this GraphQLClient client, string token, string roomId, string text) =>
        (await client.PostAsync(token, roomId, text)).Ok("postMessage")["message"]!.Str("id");

    public static async Task EditOkAsync(this GraphQLClient client, string token, string messageId, string text) =>
        (await client.SendAsync("mutation($id: ID!, $t: String!) { editMessage(input: {messageId: $id, text: $t}) { message { id } } }",
            new { id = messageId, t = text }, token)).Ok("editMessage");

    public static async Task DeleteOkAsync(this GraphQLClient client, string token, string messageId) =>
        (await client.SendAsync("mutation($id: ID!) { deleteMessage(input: {messageId: $id}) { message { id } } }", new { id = messageId },
            token)).Ok("deleteMessage");

    public static async Task JoinOkAsync(this GraphQLClient client, string token, string roomId) =>
        (await client.SendAsync("mutation($r: ID!) { joinRoom(input: {roomId: $r}) { room { id } } }", new { r = roomId }, token)).Ok("joinRoom");

    public static async Task<string> OpenDirectRoomAsync(this GraphQLClient client, string token, Guid userId) =>
        (await client.SendAsync("mutation($u: ID!) { openDirectRoom(userId: $u) { room { id } } }", new { u = userId }, token))
            .Ok("openDirectRoom")["room"]!.Str("id");

    public static Task<GraphQLResponse> InviteAsync(this GraphQLClient client, string token, string roomId, Guid userId) =>
        client.SendAsync("mutation($input: RoomMemberInput!) { inviteToRoom(input: $input) { room { id } } }",
            new { input = new { roomId, userId } }, token);

    public static Task<GraphQLResponse> MessagesAsync(this GraphQLClient client, string token, string roomId, int? first = null,
        string? after = null) =>
        client.SendAsync($"query($r: ID!, $f: Int, $a: String) {{ messages(roomId: $r, first: $f, after: $a) {{ edges {{ cursor node {{ {MessageFields} }} }} pageInfo {{ hasNextPage endCursor }} }} }}",
            new { r = roomId, f = first, a = after }, token);

    public static async Task<JsonArray> MessageNodesAsync(this GraphQLClient client, string token, string roomId)
    {
        var edges = (await client.MessagesAsync(token, roomId)).Ok("messages")["edges"]!.AsArray();
        return new JsonArray([.. edges.Select(e => e!["node"]!.DeepClone())]);
    }

    public static async Task<JsonNode> RoomAsync(this GraphQLClient client, string token, string roomId) =>
        (await client.SendAsync("query($id: ID!) { room(id: $id) { id name visibility ownerId isMember unreadCount members { userId username } } }",
            new { id = roomId }, token)).Ok("room");
}
