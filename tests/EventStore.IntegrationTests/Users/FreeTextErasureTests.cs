using EventStore.IntegrationTests.Assistant;
using EventStore.IntegrationTests.Audit;
using EventStore.IntegrationTests.Chat;
using EventStore.IntegrationTests.Community;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Trading;
using EventStore.IntegrationTests.WebSockets;
using EventStore.Projections.Search;
using Wolverine;
using Wolverine.Tracking;

namespace EventStore.IntegrationTests.Users;

/// <summary>
/// Erasure reaches every piece of free text a user typed: one marker in every mutation that takes text, then a scan of
/// every row of every table of the database (events, read models, documents, search, analytics, Wolverine's message
/// tables, the ledger), found from information_schema rather than listed by hand.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class FreeTextErasureTests(AppFixture app) : IAsyncLifetime
{
    // In every piece of text the user types, in varying letter case; nothing else in the system produces it.
    private const string Marker = "qzx7sealmark";

    // The phone number is the one personal value that cannot carry the marker: its digits are the second needle.
    private const string Phone = "+14155550199";
    private const string PhoneDigits = "4155550199";

    private readonly GraphQLClient _client = new(app.Host);

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.ResetLedgerAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task after_erasure_no_table_holds_any_text_the_user_typed_read_models_show_it_erased_and_the_chain_verifies()
    {
        var (_, bob) = await _client.RegisterAndLogInAsync("bob.freetext");
        var (zoeId, room) = await TypeTheMarkerEverywhereAsync(bob);
        await app.WaitForProjectionsAsync();

        // Sealed at the source: the log and the message tables never held it; the read models did, until now.
        var before = await DatabaseScan.FindAsync(app.ConnectionString, Marker, PhoneDigits);
        Assert.DoesNotContain("eventstore.mt_events", before.Keys);
        Assert.DoesNotContain(before.Keys, table => table.Contains("wolverine", StringComparison.Ordinal));
        Assert.Superset(new HashSet<string>
        {
            "eventstore.mt_doc_useraccount", "eventstore.mt_doc_userprofile", "eventstore.mt_doc_orderview", "eventstore.mt_doc_chatroomview",
            "eventstore.mt_doc_chatmessageview", "eventstore.mt_doc_interactionview", "eventstore.mt_doc_notificationcontact", SearchTable.Name,
            "eventstore.mt_doc_postview", "eventstore.mt_doc_postcommentview",
        }, before.Keys.ToHashSet());
        Assert.Equal("Room Qzx7SealMark", (await _client.RoomAsync(bob, room)).Str("name"));

        var admin = await _client.LogInAsAdminAsync();
        await EraseAsync(zoeId, admin);

        var after = await DatabaseScan.FindAsync(app.ConnectionString, Marker, PhoneDigits);
        Assert.True(after.Count == 0, "Text typed by the erased user is still stored in: "
            + string.Join(", ", after.Select(hit => $"{hit.Key} ({hit.Value} rows)")));
        // The probe reads Wolverine's message bodies (binary columns): the erasure's own message, kept there after it was
        // handled, is found by the user's id.
        Assert.Contains((await DatabaseScan.FindAsync(app.ConnectionString, zoeId.ToString())).Keys,
            table => table.EndsWith(".wolverine_incoming_envelopes", StringComparison.Ordinal));

        // What the other member sees of her room: it is there, unnamed; his own message stays readable and findable.
        Assert.Null((await _client.RoomAsync(bob, room))["name"]);
        Assert.Contains(BobsMessage, (await _client.MessageNodesAsync(bob, room)).Select(m => m!["text"]?.GetValue<string>()));
        var found = (await _client.SendAsync("{ search(query: \"someone\") { edges { node { title } } } }", null, bob)).Ok("search");
        Assert.Equal(SearchDocuments.UnnamedRoomTitle, Assert.Single(found["edges"]!.AsArray())!["node"]!.Str("title"));

        // The log was not rewritten: the chain over it still verifies.
        await app.CatchUpAsync();
        var verified = await app.ExportAndVerifyAsync(admin);
        Assert.True(verified.Ok, verified.Detail);
    }

    private const string BobsMessage = "words of someone else";

    /// <summary>Every mutation that takes free text, each given the marker. Bob joins her room and posts in it.</summary>
    private async Task<(Guid ZoeId, string Room)> TypeTheMarkerEverywhereAsync(string bob)
    {
        // Users: registration, profile, e-mail.
        var registered = await _client.SendAsync(UserScenarios.RegisterMutation, new
        {
            input = new { username = "Qzx7SealMark.zoe", email = "QZX7SEALMARK.zoe@example.com", password = UserScenarios.Password, displayName = "Zoe qzx7sealmark" },
        });
        var zoeId = Guid.Parse(registered.Ok("register").Str("id"));
        var zoe = await _client.LogInAsync("Qzx7SealMark.zoe", UserScenarios.Password);
        await OkAsync(zoe, "updateProfile", "mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { id } }",
            new { input = new { displayName = "Zoe Qzx7SealMark", bio = "Bio of qzx7SEALmark" } });
        await OkAsync(zoe, "changeEmail", "mutation($e: String!) { changeEmail(input: {email: $e}) { id } }",
            new { e = "zoe.qzx7sealmark@example.org" });

        // Trading: idempotency keys, client order ids (filled, resting then amended and cancelled, rejected).
        const string Funding = "mutation($a: Decimal!, $k: String) { #op(input: {amount: $a, idempotencyKey: $k}) { balance } }";
        await OkAsync(zoe, "deposit", Funding.Replace("#op", "deposit", StringComparison.Ordinal), new { a = 10_000m, k = "Qzx7SealMark-dep-1" });
        await OkAsync(zoe, "withdraw", Funding.Replace("#op", "withdraw", StringComparison.Ordinal), new { a = 100m, k = "qzx7sealmark-wd-1" });
        await app.QuoteAsync("AAPL", 99.90m, 100.00m);
        Assert.Equal("FILLED", (await _client.PlaceAsync(zoe, "Qzx7SealMark-buy-1", "BUY", "MARKET", 2, timeInForce: "IOC"))
            .Ok("placeOrder")["order"]!.Str("status"));
        var resting = (await _client.PlaceAsync(zoe, "QZX7SEALMARK-rest-1", "BUY", "LIMIT", 5, 90.00m)).Ok("placeOrder")["order"]!.Str("id");
        await OkAsync(zoe, "amendOrder", "mutation($id: ID!) { amendOrder(input: {orderId: $id, quantity: 3}) { order { id } } }", new { id = resting });
        await OkAsync(zoe, "cancelOrder", "mutation($id: ID!) { cancelOrder(input: {orderId: $id}) { order { id } } }", new { id = resting });
        Assert.Equal(["ORDER_REJECTED"], (await _client.PlaceAsync(zoe, "qzx7sealmark-rej-1", "BUY", "LIMIT", 1_000, 99.00m)).Codes);

        // Chat: a room's name, posts, an edit, a deleted post, a read marker, and a question to @assistant in the room.
        var room = await _client.CreateRoomAsync(zoe, "Room Qzx7SealMark");
        await _client.JoinOkAsync(bob, room);
        var said = await _client.PostOkAsync(zoe, room, "hello qzx7sealmark, @bob.freetext");
        await _client.EditOkAsync(zoe, said, "edited QZX7SEALMARK");
        await _client.DeleteOkAsync(zoe, await _client.PostOkAsync(zoe, room, "to be deleted Qzx7SealMark"));
        var bobs = await _client.PostOkAsync(bob, room, BobsMessage);
        await OkAsync(zoe, "markRead", "mutation($r: ID!, $m: ID!) { markRead(input: {roomId: $r, messageId: $m}) { room { id } } }",
            new { r = room, m = bobs });
        await app.AndWaitForCascadesAsync(() => _client.PostOkAsync(zoe, room, "@assistant summarize this, Qzx7SealMark"));

        // The assistant: a new conversation, and a second question in it.
        var conversation = (await app.AndWaitForCascadesAsync(() => _client.AskAsync(zoe, "What is qzx7sealmark? And my portfolio?")))
            .Ok("askAssistant")["conversation"]!.Str("id");
        (await app.AndWaitForCascadesAsync(() => _client.AskAsync(zoe, "Tell me more about Qzx7SealMark", conversation))).Ok("askAssistant");

        // Community: a post (edited), a deleted post, a comment on Bob's post and a report of it.
        var idea = await _client.CreatePostOkAsync(zoe, "Idea qzx7sealmark", "AAPL");
        await OkAsync(zoe, "editPost", "mutation($p: ID!, $t: String!) { editPost(input: {postId: $p, text: $t}) { post { id } } }",
            new { p = idea, t = "Idea edited QZX7SEALMARK" });
        var dropped = await _client.CreatePostOkAsync(zoe, "to be deleted Qzx7SealMark");
        await OkAsync(zoe, "deletePost", "mutation($p: ID!) { deletePost(input: {postId: $p}) { post { id } } }", new { p = dropped });
        var bobsPost = await _client.CreatePostOkAsync(bob, "a trade idea of bob");
        await OkAsync(zoe, "commentOnPost", "mutation($p: ID!, $t: String!) { commentOnPost(input: {postId: $p, text: $t}) { comment { id } } }",
            new { p = bobsPost, t = "comment qzx7sealmark @bob.freetext" });
        await OkAsync(zoe, "reportPost", "mutation($p: ID!, $r: String!) { reportPost(input: {postId: $p, reason: $r}) }",
            new { p = bobsPost, r = "report Qzx7SealMark" });

        // A query takes text too: what she searched for is not stored anywhere either.
        await OkAsync(zoe, "search", "query($q: String!) { search(query: $q) { edges { node { title } } } }", new { q = "find Qzx7SealMark" });

        // Notifications: the phone number.
        await OkAsync(zoe, "updateNotificationPreferences",
            "mutation($p: String) { updateNotificationPreferences(input: {email: true, sms: false, phoneNumber: $p}) { email } }", new { p = Phone });

        // Over WebSocket, under an operation id of her own choosing (it used to become the events' correlation id).
        await using (var socket = await GraphQLWebSocketClient.ConnectAndInitAsync(app.Host, new { authorization = "Bearer " + zoe }))
        {
            await socket.SubscribeAsync("Qzx7SealMark-op-1", "mutation { deposit(input: {amount: 5}) { balance } }");
            Assert.Equal("next", (await socket.ReceiveAsync()).Str("type"));
            Assert.Equal("complete", (await socket.ReceiveAsync()).Str("type"));
        }

        // An admin's free text about her: the reason of a deactivation.
        await OkAsync(await _client.LogInAsAdminAsync(), "deactivateUser",
            "mutation($input: DeactivateUserInput!) { deactivateUser(input: $input) { isActive } }",
            new { input = new { userId = zoeId, reason = "Reason: qzx7sealmark" } });
        return (zoeId, room);
    }

    /// <summary>
    /// The admin erases the user and the test waits for what the erasure sets off: the Compliance integration event handled
    /// by its consumers (Notifications forgets the phone number), then the projections (read models, search).
    /// </summary>
    private async Task EraseAsync(Guid userId, string admin)
    {
        await app.Host.TrackActivity().Timeout(TimeSpan.FromSeconds(60))
            .WaitForExecutionOf<EventStore.Contracts.Compliance.PersonalDataErased>()
            .ExecuteAndWaitAsync((Func<IMessageContext, Task>)(async _ =>
                (await _client.SendAsync("mutation($id: ID!) { eraseUser(input: {userId: $id}) { id } }", new { id = userId }, admin))
                .Ok("eraseUser")));
        await app.WaitForProjectionsAsync();
    }

    private async Task OkAsync(string token, string field, string mutation, object variables) =>
        (await _client.SendAsync(mutation, variables, token)).Ok(field);
}
