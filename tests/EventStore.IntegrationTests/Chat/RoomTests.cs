using EventStore.Domain.Chat;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;

namespace EventStore.IntegrationTests.Chat;

[Collection(AppCollection.Name)]
public sealed class RoomTests(AppFixture app) : IAsyncLifetime
{
    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task a_room_lives_through_create_join_invite_leave_and_remove()
    {
        var (alice, aliceToken) = await _client.RegisterAndLogInAsync("alice");
        var (bob, bobToken) = await _client.RegisterAndLogInAsync("bob");
        var (carol, carolToken) = await _client.RegisterAndLogInAsync("carol");

        var lobby = await _client.CreateRoomAsync(aliceToken, "Lobby");
        (await _client.SendAsync("mutation($r: ID!) { joinRoom(input: {roomId: $r}) { room { id } } }", new { r = lobby }, bobToken)).Ok("joinRoom");
        (await _client.InviteAsync(bobToken, lobby, carol)).Ok("inviteToRoom");
        (await _client.SendAsync("mutation($r: ID!) { leaveRoom(input: {roomId: $r}) }", new { r = lobby }, bobToken)).Ok("leaveRoom");
        var removedByBob = await _client.SendAsync("mutation($r: ID!, $u: ID!) { removeFromRoom(input: {roomId: $r, userId: $u}) { room { id } } }",
            new { r = lobby, u = carol }, carolToken);
        Assert.Equal(["FORBIDDEN"], removedByBob.Codes); // carol is a member but not the owner
        var removed = (await _client.SendAsync("mutation($r: ID!, $u: ID!) { removeFromRoom(input: {roomId: $r, userId: $u}) { room { members { userId } } } }",
            new { r = lobby, u = carol }, aliceToken)).Ok("removeFromRoom")["room"]!["members"]!.AsArray();

        Assert.Equal([alice.ToString()], removed.Select(m => m!.Str("userId")));
        await app.WaitForProjectionsAsync();
        var room = await _client.RoomAsync(aliceToken, lobby);
        Assert.Equal("Lobby", room.Str("name"));
        Assert.Equal("PUBLIC", room.Str("visibility"));
        Assert.Equal(alice.ToString(), room.Str("ownerId"));
        Assert.Equal(["alice"], room["members"]!.AsArray().Select(m => m!.Str("username")));

        var events = (await app.AllEventsAsync()).Where(e => e.StreamId == Guid.Parse(lobby)).Select(e => e.Data.GetType()).ToList();
        Assert.Equal([typeof(RoomCreated), typeof(RoomMemberJoined), typeof(RoomMemberJoined), typeof(RoomMemberInvited),
            typeof(RoomMemberLeft), typeof(RoomMemberRemoved)], events);
        var bobsRooms = (await _client.SendAsync("{ rooms(mine: true) { id } }", token: bobToken)).Ok("rooms").AsArray();
        Assert.Empty(bobsRooms);
        var everyones = (await _client.SendAsync("{ rooms { id name } }", token: bobToken)).Ok("rooms").AsArray();
        Assert.Equal([lobby], everyones.Select(r => r!.Str("id")));
        _ = bob;
    }

    [Fact]
    public async Task a_non_member_cannot_read_or_post_in_a_private_room_and_nothing_is_appended()
    {
        var (_, owner) = await _client.RegisterAndLogInAsync("owner");
        var (_, outsider) = await _client.RegisterAndLogInAsync("outsider");
        var room = await _client.CreateRoomAsync(owner, "Secret desk", "PRIVATE");
        await _client.PostOkAsync(owner, room, "numbers for the quarter");
        await app.WaitForProjectionsAsync();
        var before = (await app.AllEventsAsync()).Count;

        var read = await _client.SendAsync("query($id: ID!) { room(id: $id) { name } }", new { id = room }, outsider);
        var messages = await _client.MessagesAsync(outsider, room);
        var post = await _client.PostAsync(outsider, room, "let me in");
        var join = await _client.SendAsync("mutation($r: ID!) { joinRoom(input: {roomId: $r}) { room { id } } }", new { r = room }, outsider);
        var invite = await _client.InviteAsync(outsider, room, Guid.NewGuid());
        var listed = (await _client.SendAsync("{ rooms { id } }", token: outsider)).Ok("rooms").AsArray();

        Assert.Equal(["NOT_FOUND"], read.Codes);
        Assert.Equal(["NOT_FOUND"], messages.Codes);
        Assert.Equal(["NOT_FOUND"], post.Codes);
        Assert.Equal(["NOT_FOUND"], join.Codes);
        Assert.Equal(["NOT_FOUND"], invite.Codes);
        Assert.Empty(listed);
        Assert.DoesNotContain("numbers", messages.Body, StringComparison.Ordinal);
        Assert.Equal(before, (await app.AllEventsAsync()).Count);
    }

    [Fact]
    public async Task a_direct_room_is_one_room_for_the_pair_and_invisible_to_others()
    {
        var (alice, aliceToken) = await _client.RegisterAndLogInAsync("dm-alice");
        var (bob, bobToken) = await _client.RegisterAndLogInAsync("dm-bob");
        var (_, eveToken) = await _client.RegisterAndLogInAsync("dm-eve");
        const string open = "mutation($u: ID!) { openDirectRoom(userId: $u) { room { id visibility ownerId members { userId } } } }";

        var first = (await _client.SendAsync(open, new { u = bob }, aliceToken)).Ok("openDirectRoom")["room"]!;
        var second = (await _client.SendAsync(open, new { u = alice }, bobToken)).Ok("openDirectRoom")["room"]!;
        await _client.PostOkAsync(bobToken, first.Str("id"), "just between us");

        Assert.Equal(first.Str("id"), second.Str("id"));
        Assert.Equal("DIRECT", first.Str("visibility"));
        Assert.Null(first["ownerId"]);
        Assert.Equal(2, first["members"]!.AsArray().Count);
        Assert.Equal(["NOT_FOUND"], (await _client.MessagesAsync(eveToken, first.Str("id"))).Codes);
        Assert.Equal(["NOT_FOUND"], (await _client.PostAsync(eveToken, first.Str("id"), "hi")).Codes);
        Assert.Equal(["VALIDATION"], (await _client.SendAsync(open, new { u = alice }, aliceToken)).Codes);
        Assert.Single(await app.AllEventsAsync(), e => e.Data is DirectRoomOpened);
    }

    [Fact]
    public async Task a_blank_room_name_is_a_validation_error_on_its_field()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("namer");
        var before = (await app.AllEventsAsync()).Count;

        var response = await _client.SendAsync("mutation { createRoom(input: {name: \"  \", visibility: DIRECT}) { room { id } } }", token: token);

        Assert.Equal(["VALIDATION", "VALIDATION"], response.Codes);
        Assert.Equal(["input.name", "input.visibility"],
            response.Errors.Select(e => e["extensions"]!["field"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal(before, (await app.AllEventsAsync()).Count);
    }
}
