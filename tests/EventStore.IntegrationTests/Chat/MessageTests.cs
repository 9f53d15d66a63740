using EventStore.Domain.Chat;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;

namespace EventStore.IntegrationTests.Chat;

[Collection(AppCollection.Name)]
public sealed class MessageTests(AppFixture app) : IAsyncLifetime
{
    private const string Edit = "mutation($id: ID!, $t: String!) { editMessage(input: {messageId: $id, text: $t}) { message { text editedAt revisions { text } } } }";
    private const string Delete = "mutation($id: ID!) { deleteMessage(input: {messageId: $id}) { message { text deleted deletedBy revisions { text } } } }";

    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task an_edit_keeps_the_earlier_text_as_a_revision_and_only_the_author_may_edit()
    {
        var (_, author) = await _client.RegisterAndLogInAsync("writer");
        var (_, other) = await _client.RegisterAndLogInAsync("reader");
        var room = await _client.CreateRoomAsync(author, "Desk");
        (await _client.SendAsync("mutation($r: ID!) { joinRoom(input: {roomId: $r}) { room { id } } }", new { r = room }, other)).Ok("joinRoom");
        var id = await _client.PostOkAsync(author, room, "first draft");

        var edited = (await _client.SendAsync(Edit, new { id, t = "second draft" }, author)).Ok("editMessage")["message"]!;
        var byOther = await _client.SendAsync(Edit, new { id, t = "hijacked" }, other);

        Assert.Equal("second draft", edited.Str("text"));
        Assert.NotNull(edited["editedAt"]);
        Assert.Equal(["first draft"], edited["revisions"]!.AsArray().Select(r => r!.Str("text")));
        Assert.Equal(["FORBIDDEN"], byOther.Codes);
        await app.WaitForProjectionsAsync();
        var node = Assert.Single(await _client.MessageNodesAsync(other, room))!;
        Assert.Equal("second draft", node.Str("text"));
        Assert.Equal(["first draft"], node["revisions"]!.AsArray().Select(r => r!.Str("text")));
    }

    [Fact]
    public async Task a_deleted_message_keeps_its_place_without_text_or_history_and_the_events_stay()
    {
        var (author, authorToken) = await _client.RegisterAndLogInAsync("poster");
        var room = await _client.CreateRoomAsync(authorToken, "Desk");
        var id = await _client.PostOkAsync(authorToken, room, "secret plan v1");
        (await _client.SendAsync(Edit, new { id, t = "secret plan v2" }, authorToken)).Ok("editMessage");

        var deleted = (await _client.SendAsync(Delete, new { id }, authorToken)).Ok("deleteMessage")["message"]!;
        var again = (await _client.SendAsync(Delete, new { id }, authorToken)).Ok("deleteMessage")["message"]!;
        var editAfter = await _client.SendAsync(Edit, new { id, t = "back" }, authorToken);

        Assert.Null(deleted["text"]);
        Assert.True(deleted["deleted"]!.GetValue<bool>());
        Assert.Equal(author.ToString(), deleted.Str("deletedBy"));
        Assert.Empty(deleted["revisions"]!.AsArray());
        Assert.True(again["deleted"]!.GetValue<bool>());
        Assert.Equal(["CONFLICT"], editAfter.Codes);
        await app.WaitForProjectionsAsync();
        var messages = await _client.MessagesAsync(authorToken, room);
        var node = Assert.Single(messages.Ok("messages")["edges"]!.AsArray())!["node"]!;
        Assert.Null(node["text"]);
        Assert.True(node["deleted"]!.GetValue<bool>());
        Assert.DoesNotContain("secret plan", messages.Body, StringComparison.Ordinal);
        var stream = (await app.AllEventsAsync()).Where(e => e.StreamId == Guid.Parse(id)).Select(e => e.Data.GetType());
        Assert.Equal([typeof(MessagePosted), typeof(MessageEdited), typeof(MessageDeleted)], stream); // deleting twice: one event
    }

    [Fact]
    public async Task the_room_owner_moderates_any_message_but_another_member_cannot_delete_it()
    {
        var (_, owner) = await _client.RegisterAndLogInAsync("mod");
        var (_, member) = await _client.RegisterAndLogInAsync("member");
        var (_, other) = await _client.RegisterAndLogInAsync("other");
        var room = await _client.CreateRoomAsync(owner, "Moderated");
        foreach (var token in new[] { member, other })
        {
            (await _client.SendAsync("mutation($r: ID!) { joinRoom(input: {roomId: $r}) { room { id } } }", new { r = room }, token)).Ok("joinRoom");
        }

        var id = await _client.PostOkAsync(member, room, "spam spam spam");
        Assert.Equal(["FORBIDDEN"], (await _client.SendAsync(Delete, new { id }, other)).Codes);
        var byOwner = (await _client.SendAsync(Delete, new { id }, owner)).Ok("deleteMessage")["message"]!;
        Assert.True(byOwner["deleted"]!.GetValue<bool>());
    }

    [Fact]
    public async Task mentions_are_parsed_and_unread_counts_follow_the_read_marker()
    {
        var (alice, aliceToken) = await _client.RegisterAndLogInAsync("mention-alice");
        var (_, bobToken) = await _client.RegisterAndLogInAsync("mention-bob");
        var room = await _client.CreateRoomAsync(aliceToken, "Chatter");
        (await _client.SendAsync("mutation($r: ID!) { joinRoom(input: {roomId: $r}) { room { id } } }", new { r = room }, bobToken)).Ok("joinRoom");

        var mention = (await _client.PostAsync(bobToken, room, "hey @Mention-Alice and @nobody, mail me at bob@example.com"))
            .Ok("postMessage")["message"]!;
        await _client.PostOkAsync(bobToken, room, "second");
        var last = await _client.PostOkAsync(bobToken, room, "third");
        await _client.PostOkAsync(aliceToken, room, "mine do not count");
        await app.WaitForProjectionsAsync();

        Assert.Equal([alice.ToString()], mention["mentions"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.False(mention["mentionsAssistant"]!.GetValue<bool>());
        Assert.Equal(3, (await _client.RoomAsync(aliceToken, room))["unreadCount"]!.GetValue<int>());
        (await _client.SendAsync("mutation($r: ID!, $m: ID!) { markRead(input: {roomId: $r, messageId: $m}) { room { id } } }",
            new { r = room, m = mention.Str("id") }, aliceToken)).Ok("markRead");
        await app.WaitForProjectionsAsync();
        Assert.Equal(2, (await _client.RoomAsync(aliceToken, room))["unreadCount"]!.GetValue<int>());
        (await _client.SendAsync("mutation($r: ID!, $m: ID!) { markRead(input: {roomId: $r, messageId: $m}) { room { id } } }",
            new { r = room, m = last }, aliceToken)).Ok("markRead");
        // Marking an older message read again does not move the marker back.
        (await _client.SendAsync("mutation($r: ID!, $m: ID!) { markRead(input: {roomId: $r, messageId: $m}) { room { id } } }",
            new { r = room, m = mention.Str("id") }, aliceToken)).Ok("markRead");
        await app.WaitForProjectionsAsync();
        Assert.Equal(0, (await _client.RoomAsync(aliceToken, room))["unreadCount"]!.GetValue<int>());
        Assert.Equal(2, (await app.AllEventsAsync()).Count(e => e.Data is RoomMessagesRead));
    }

    [Fact]
    public async Task messages_page_newest_first_with_a_cursor()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("pager");
        var room = await _client.CreateRoomAsync(token, "Pages");
        for (var i = 1; i <= 5; i++)
        {
            await _client.PostOkAsync(token, room, $"message {i}");
        }

        await app.WaitForProjectionsAsync();
        var first = (await _client.MessagesAsync(token, room, 2)).Ok("messages");
        var second = (await _client.MessagesAsync(token, room, 2, first["pageInfo"]!.Str("endCursor"))).Ok("messages");
        var third = (await _client.MessagesAsync(token, room, 2, second["pageInfo"]!.Str("endCursor"))).Ok("messages");

        string[] Texts(System.Text.Json.Nodes.JsonNode page) => [.. page["edges"]!.AsArray().Select(e => e!["node"]!.Str("text"))];
        Assert.Equal(["message 5", "message 4"], Texts(first));
        Assert.Equal(["message 3", "message 2"], Texts(second));
        Assert.Equal(["message 1"], Texts(third));
        Assert.False(third["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
    }

    [Fact]
    public async Task a_message_longer_than_the_limit_is_a_validation_error_and_nothing_is_appended()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("talker");
        var room = await _client.CreateRoomAsync(token, "Limits");
        var before = (await app.AllEventsAsync()).Count;

        var response = await _client.PostAsync(token, room, new string('x', MessageText.MaxLength + 1));

        Assert.Equal(["VALIDATION"], response.Codes);
        Assert.Equal("input.text", response.Errors[0]["extensions"]!["field"]!.GetValue<string>());
        Assert.Equal(before, (await app.AllEventsAsync()).Count);
    }
}
