using EventStore.IntegrationTests.Audit;
using EventStore.IntegrationTests.Chat;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;

namespace EventStore.IntegrationTests.Search;

/// <summary>
/// MESSAGE documents on the default backend: chat text is found by members of its room only, by its current text, and
/// not at all once deleted or once its author is erased (the text is sealed under the author's key).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class MessageSearchTests(AppFixture app) : IAsyncLifetime
{
    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task members_find_messages_by_word_prefixes_with_a_room_name_match_ranked_first()
    {
        var (_, alice) = await _client.RegisterAndLogInAsync("msg.alice");
        var (bobId, bob) = await _client.RegisterAndLogInAsync("msg.bob");
        var earnings = await _client.CreateRoomAsync(alice, "Earnings desk");
        var lobby = await _client.CreateRoomAsync(alice, "Lobby");
        var inLobby = await _client.PostOkAsync(alice, lobby, "Earnings call at five, dial in early");
        var inEarnings = await _client.PostOkAsync(alice, earnings, "Quarterly numbers look strong");
        var direct = await _client.OpenDirectRoomAsync(alice, bobId);
        var inDirect = await _client.PostOkAsync(alice, direct, "Quarterly review tomorrow?");
        await app.WaitForProjectionsAsync();

        var hits = (await _client.SearchAsync(alice, "earn", ["MESSAGE"])).Hits();

        Assert.Equal([inEarnings, inLobby], hits.Select(h => h.Str("id")));
        Assert.Equal(["Earnings desk", "Lobby"], hits.Select(h => h.Str("title")));
        Assert.True(hits[0]["score"]!.GetValue<double>() > hits[1]["score"]!.GetValue<double>());
        Assert.Equal("Lobby · <mark>Earnings</mark> call at five, dial in early", hits[1].Str("highlight"));
        Assert.Equal("MESSAGE", hits[0].Str("type"));
        var quarterly = (await _client.SearchAsync(alice, "quart", ["MESSAGE"])).Hits().Select(h => h.Str("id"));
        Assert.Equal(new[] { inEarnings, inDirect }.Order(), quarterly.Order());
        Assert.Equal(inEarnings, Assert.Single((await _client.SearchAsync(alice, "quart numb")).Hits()).Str("id"));
        var fromDirect = Assert.Single((await _client.SearchAsync(bob, "quart review")).Hits());
        Assert.Equal((inDirect, "Direct message"), (fromDirect.Str("id"), fromDirect.Str("title")));
    }

    [Fact]
    public async Task only_members_find_a_message_and_a_member_who_leaves_or_is_removed_no_longer_does()
    {
        var (_, owner) = await _client.RegisterAndLogInAsync("room.owner");
        var (memberId, member) = await _client.RegisterAndLogInAsync("room.member");
        var (leaverId, leaver) = await _client.RegisterAndLogInAsync("room.leaver");
        var (_, outsider) = await _client.RegisterAndLogInAsync("room.outsider");
        var privateRoom = await _client.CreateRoomAsync(owner, "Strategy", "PRIVATE");
        (await _client.InviteAsync(owner, privateRoom, memberId)).Ok("inviteToRoom");
        (await _client.InviteAsync(owner, privateRoom, leaverId)).Ok("inviteToRoom");
        var publicRoom = await _client.CreateRoomAsync(owner, "Open floor");
        var secret = await _client.PostOkAsync(owner, privateRoom, "Hedge the tanker exposure");
        var open = await _client.PostOkAsync(owner, publicRoom, "Tanker rates are up");
        await app.WaitForProjectionsAsync();

        Assert.Equal(secret, Assert.Single((await _client.SearchAsync(member, "tanker")).Hits()).Str("id"));
        Assert.Equal(secret, Assert.Single((await _client.SearchAsync(leaver, "tanker", ["MESSAGE"])).Hits()).Str("id"));
        Assert.Equal(2, (await _client.SearchAsync(owner, "tanker")).Hits().Count);
        // Public rooms too: search covers the rooms one is in, not every room one could open.
        Assert.Empty((await _client.SearchAsync(outsider, "tanker")).Hits());
        Assert.Empty((await _client.SearchAsync(await _client.LogInAsAdminAsync(), "tanker", ["MESSAGE"])).Hits());

        (await _client.SendAsync("mutation($r: ID!) { leaveRoom(input: {roomId: $r}) }", new { r = privateRoom }, leaver)).Ok("leaveRoom");
        (await _client.SendAsync("mutation($input: RoomMemberInput!) { removeFromRoom(input: $input) { room { id } } }",
            new { input = new { roomId = privateRoom, userId = memberId } }, owner)).Ok("removeFromRoom");
        await _client.JoinOkAsync(outsider, publicRoom);
        await app.WaitForProjectionsAsync();

        Assert.Empty((await _client.SearchAsync(member, "tanker")).Hits());
        Assert.Empty((await _client.SearchAsync(leaver, "tanker")).Hits());
        Assert.Equal(open, Assert.Single((await _client.SearchAsync(outsider, "tanker")).Hits()).Str("id"));
    }

    [Fact]
    public async Task analysts_are_refused_message_search_and_their_default_search_leaves_messages_out()
    {
        var (analystId, analyst) = await _client.RegisterWithRoleAsync("msg.analyst", "ANALYST");
        var (_, trader) = await _client.RegisterAndLogInAsync("msg.trader");
        var room = await _client.CreateRoomAsync(trader, "Research", "PRIVATE");
        (await _client.InviteAsync(trader, room, analystId)).Ok("inviteToRoom");
        await _client.PostOkAsync(trader, room, "Volatility regime notes");
        await app.WaitForProjectionsAsync();

        // A member of the room, yet the text is personal data of its author.
        Assert.Single((await _client.SearchAsync(trader, "volatil")).Hits());
        Assert.Equal(["FORBIDDEN"], (await _client.SearchAsync(analyst, "volatil", ["MESSAGE", "INSTRUMENT"])).Codes);
        Assert.Empty((await _client.SearchAsync(analyst, "volatil")).Hits());
    }

    [Fact]
    public async Task an_edited_message_is_found_by_its_new_text_only()
    {
        var (_, author) = await _client.RegisterAndLogInAsync("msg.editor");
        var room = await _client.CreateRoomAsync(author, "Desk");
        var id = await _client.PostOkAsync(author, room, "Buying copper futures");
        await app.WaitForProjectionsAsync();
        Assert.Single((await _client.SearchAsync(author, "copper")).Hits());

        await _client.EditOkAsync(author, id, "Buying nickel futures");
        await app.WaitForProjectionsAsync();

        Assert.Empty((await _client.SearchAsync(author, "copper")).Hits());
        var hit = Assert.Single((await _client.SearchAsync(author, "nick")).Hits());
        Assert.Equal(id, hit.Str("id"));
        Assert.Contains("<mark>nickel</mark>", hit.Str("highlight"), StringComparison.Ordinal);
        Assert.Equal(0L, await app.ScalarAsync("select count(*) from eventstore.search_documents where content ilike '%copper%'"));
    }

    [Fact]
    public async Task a_deleted_message_disappears_from_search()
    {
        var (_, author) = await _client.RegisterAndLogInAsync("msg.redactor");
        var room = await _client.CreateRoomAsync(author, "Desk");
        var kept = await _client.PostOkAsync(author, room, "Wheat shipment confirmed");
        var gone = await _client.PostOkAsync(author, room, "Wheat shipment cancelled, wrong account");
        await app.WaitForProjectionsAsync();
        Assert.Equal(2, (await _client.SearchAsync(author, "wheat")).Hits().Count);

        await _client.DeleteOkAsync(author, gone);
        await app.WaitForProjectionsAsync();

        Assert.Equal(kept, Assert.Single((await _client.SearchAsync(author, "wheat")).Hits()).Str("id"));
        Assert.Equal(0L, await app.ScalarAsync($"select count(*) from eventstore.search_documents where doc_id = '{gone}'"));
    }

    [Fact]
    public async Task messages_of_an_erased_author_are_not_findable_and_a_rebuild_does_not_bring_them_back()
    {
        var (authorId, author) = await _client.RegisterAndLogInAsync("msg.forgotten");
        var (readerId, reader) = await _client.RegisterAndLogInAsync("msg.reader");
        var room = await _client.CreateRoomAsync(author, "Desk", "PRIVATE");
        (await _client.InviteAsync(author, room, readerId)).Ok("inviteToRoom");
        var id = await _client.PostOkAsync(author, room, "Zinc position is mine");
        await _client.EditOkAsync(author, id, "Zinc position is still mine");
        var other = await _client.PostOkAsync(reader, room, "Zinc looks cheap");
        await app.WaitForProjectionsAsync();
        Assert.Equal(2, (await _client.SearchAsync(reader, "zinc")).Hits().Count);

        await _client.EraseAsync(authorId);
        await app.WaitForProjectionsAsync();

        Assert.Equal(other, Assert.Single((await _client.SearchAsync(reader, "zinc")).Hits()).Str("id"));
        await _client.RebuildSearchAsync(await _client.LogInAsAdminAsync());
        await app.WaitForProjectionsAsync();
        Assert.Equal(other, Assert.Single((await _client.SearchAsync(reader, "zinc")).Hits()).Str("id"));
        Assert.Equal(0L, await app.ScalarAsync("select count(*) from eventstore.search_documents where content ilike '%mine%'"));
    }
}
