using Microsoft.Extensions.DependencyInjection;
using System.Text.Json.Nodes;
using EventStore.IntegrationTests.Assistant;
using EventStore.IntegrationTests.Audit;
using EventStore.IntegrationTests.Chat;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Trading;

namespace EventStore.IntegrationTests.Users;

/// <summary>GDPR erasure by crypto-shredding, end to end: through GraphQL, the store, the read models and the export.</summary>
[Collection(AppCollection.Name)]
public sealed class ErasureTests(AppFixture app) : IAsyncLifetime
{
    // Strings that only exist as the erased user's personal data.
    private const string Username = "zoe.erasable";
    private const string Email = "zoe.private@example.com";
    private const string DisplayName = "Zoe Quixotic-Personal";
    private const string Bio = "Lives at 12 Secret Lane";
    private static readonly string[] Personal = [Username, Email, DisplayName, Bio, "zoe.erasable@example.com"];

    private const string UserFields = "id username displayName bio email isActive erased";

    private readonly GraphQLClient _client = new(app.Host);

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.ResetLedgerAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task personal_data_is_stored_only_sealed_and_auditors_can_read_it_until_erased()
    {
        var (zoeId, _) = await RegisterZoeAsync();
        var (_, auditor) = await _client.RegisterWithRoleAsync("auditor.erasure1", "AUDITOR");

        await app.WaitForProjectionsAsync();
        Assert.Equal(0, await CountInStoredEventsAsync(Personal));
        Assert.True(await CountInReadModelsAsync(Personal) > 0); // the probe finds clear text where it is allowed to be
        var before = await RevealedStreamAsync(zoeId, auditor);
        Assert.Contains(Email, before, StringComparison.Ordinal);
        Assert.Contains(Bio, before, StringComparison.Ordinal);

        await EraseAsync(zoeId);

        NoPersonalData(await RevealedStreamAsync(zoeId, auditor));
    }

    [Fact]
    public async Task after_erasure_no_query_read_model_or_export_shows_the_data_and_the_chain_still_verifies()
    {
        var (zoeId, zoe) = await RegisterZoeAsync();
        await _client.DepositAsync(zoe, 5_000m);
        await app.QuoteAsync("AAPL", 99.90m, 100.00m);
        (await _client.PlaceAsync(zoe, "zoe-1", "BUY", "MARKET", 3)).Ok("placeOrder");
        var (_, auditor) = await _client.RegisterWithRoleAsync("auditor.erasure2", "AUDITOR");
        var admin = await _client.LogInAsAdminAsync();
        await app.WaitForProjectionsAsync();
        var eventsBefore = (await app.AllEventsAsync()).Count;

        var erased = await EraseAsync(zoeId);

        Assert.Equal((true, false), (erased["erased"]!.GetValue<bool>(), erased["isActive"]!.GetValue<bool>()));
        Assert.Null(erased["username"]);
        Assert.Equal(eventsBefore + 1, (await app.AllEventsAsync()).Count); // one PersonalDataErased, nothing rewritten
        await app.WaitForProjectionsAsync();

        // Queries: the profile, the directory, the user's own `me`.
        var profile = (await _client.SendAsync($"query($id: ID!) {{ user(id: $id) {{ {UserFields} }} }}", new { id = zoeId }, admin)).Ok("user");
        Assert.Equal((true, null, null, null, null), (profile["erased"]!.GetValue<bool>(), profile["username"]?.GetValue<string>(),
            profile["displayName"]?.GetValue<string>(), profile["bio"]?.GetValue<string>(), profile["email"]?.GetValue<string>()));
        var directory = (await _client.SendAsync("{ users(first: 100) { edges { node { id username displayName } } } }", null, admin)).Body;
        NoPersonalData(directory);
        var found = (await _client.SendAsync("{ users(first: 100, filter: {namePrefix: \"zoe\"}) { edges { node { id } } } }", null, admin)).Ok("users");
        Assert.Empty(found["edges"]!.AsArray());
        NoPersonalData((await _client.SendAsync($"{{ me {{ {UserFields} }} }}", null, zoe)).Body);

        // The auditor API: stream, global log, time travel to before the erasure.
        NoPersonalData(await RevealedStreamAsync(zoeId, auditor));
        var log = (await _client.SendAsync("{ auditEvents(first: 1000) { edges { node { data revealedData } } } }", null, auditor)).Body;
        NoPersonalData(log);
        var asOf = (await _client.SendAsync("query($id: ID!) { aggregateAsOf(streamId: $id, version: 2) { state } }", new { id = zoeId }, auditor)).Body;
        NoPersonalData(asOf);

        // Every read model table, and the store itself (which never held clear text).
        Assert.Equal(0, await CountInReadModelsAsync(Personal));
        Assert.Equal(0, await CountInStoredEventsAsync(Personal));

        // Trades stay, pseudonymous; the export verifies and carries nothing personal.
        // (Read from the store: Zoe's own token stopped working with the erasure, SessionTests.)
        await app.WaitForProjectionsAsync();
        await using (var query = app.Host.Services.GetRequiredService<Marten.IDocumentStore>().QuerySession())
        {
            var position = await Marten.QueryableExtensions.SingleAsync(
                query.Query<EventStore.Projections.Trading.PositionView>().Where(x => x.UserId == zoeId), CancellationToken.None);
            Assert.Equal(3m, position.Quantity);
        }

        await app.CatchUpAsync();
        var (status, export) = await app.GetAsync("/audit/export", admin);
        Assert.Equal(200, status);
        NoPersonalData(export);
        var verified = await EventStore.Audit.ChainVerifier.VerifyAsync(new StringReader(export), null, null);
        Assert.True(verified.Ok, verified.Detail);
    }

    [Fact]
    public async Task chat_messages_and_assistant_texts_are_sealed_and_unreadable_at_once_after_erasure()
    {
        // Phrases that only exist in Zoe's message, in her question in a room and in her question to the assistant.
        const string Said = "marmalade-quokka-7731";
        const string AskedInRoom = "umbrella-narwhal-4410";
        const string Asked = "teapot-axolotl-9052";
        string[] phrases = [Said, AskedInRoom, Asked];
        var (zoeId, zoe) = await RegisterZoeAsync();
        var (_, bob) = await _client.RegisterAndLogInAsync("bob.erasure4");
        var room = await _client.CreateRoomAsync(zoe, "erasure-room");
        (await _client.SendAsync("mutation($input: RoomInput!) { joinRoom(input: $input) { room { id } } }", new { input = new { roomId = room } }, bob))
            .Ok("joinRoom");
        var said = await _client.PostOkAsync(zoe, room, $"I said {Said}");
        await _client.PostOkAsync(bob, room, "bob stays readable");
        await app.AndWaitForCascadesAsync(() => _client.PostOkAsync(zoe, room, $"@assistant what about {AskedInRoom}?"));
        // Waiting for cascades (notifications of the answers) keeps them from landing in the next test.
        var conversation = (await app.AndWaitForCascadesAsync(() => _client.AskAsync(zoe, $"Tell me about {Asked}")))
            .Ok("askAssistant")["conversation"]!.Str("id");
        await app.WaitForProjectionsAsync();

        Assert.Equal(0, await CountInStoredEventsAsync(phrases)); // sealed in the log from the start
        Assert.True(await CountInReadModelsAsync(phrases) > 0); // and readable in the read models until the erasure
        Assert.Contains(Said, (await _client.MessageNodesAsync(bob, room)).ToJsonString(), StringComparison.Ordinal);

        await app.AndWaitForCascadesAsync(() => EraseAsync(zoeId));
        await app.WaitForProjectionsAsync();

        var messages = await _client.MessageNodesAsync(bob, room);
        Assert.Equal(4, messages.Count); // Zoe's two posts, Bob's, and the assistant's reply to Zoe: all still there
        var kept = messages.Single(m => m!.Str("id") == said)!;
        Assert.Equal((zoeId.ToString(), null, false), (kept.Str("authorId"), kept["text"]?.GetValue<string>(), kept["deleted"]!.GetValue<bool>()));
        Assert.Equal(["bob stays readable"], messages.Select(m => m!["text"]?.GetValue<string>()).OfType<string>());
        var asked = (await _client.SendAsync($"query($id: ID!) {{ conversation(id: $id) {{ interactions {{ {AssistantScenarios.InteractionFields} }} }} }}",
            new { id = conversation }, zoe)).Body;
        foreach (var phrase in phrases)
        {
            Assert.DoesNotContain(phrase, messages.ToJsonString(), StringComparison.Ordinal);
            Assert.DoesNotContain(phrase, asked, StringComparison.Ordinal);
        }

        Assert.Equal(0, await CountInReadModelsAsync(phrases));
        Assert.Equal(0, await CountInStoredEventsAsync(phrases));

        // The key is gone, so replaying the log opens nothing either: a rebuild gives the same rows.
        var blanked = await ChatAndAssistantRowsAsync();
        var admin = await _client.LogInAsAdminAsync();
        foreach (var name in new[] { "ChatMessageView", "InteractionView" })
        {
            (await _client.SendAsync("mutation($name: String!) { rebuildProjection(name: $name) { name } }", new { name }, admin))
                .Ok("rebuildProjection");
        }

        await app.WaitForProjectionsAsync();
        Assert.Equal(blanked, await ChatAndAssistantRowsAsync());
    }

    private async Task<string> ChatAndAssistantRowsAsync() =>
        string.Join("\n", await app.ScalarListAsync(
            "select data::text from eventstore.mt_doc_chatmessageview union all select data::text from eventstore.mt_doc_interactionview order by 1"));

    [Fact]
    public async Task an_erased_user_cannot_log_in_or_act_and_their_login_name_is_free_again()
    {
        var (zoeId, zoe) = await RegisterZoeAsync();

        await EraseAsync(zoeId);

        var login = await _client.SendAsync("mutation($input: LoginInput!) { login(input: $input) { token } }",
            new { input = new { username = Username, password = UserScenarios.Password } });
        Assert.Equal(["UNAUTHENTICATED"], login.Codes);
        var update = await _client.SendAsync("mutation { updateProfile(input: {displayName: \"Back\"}) { id } }", null, zoe);
        Assert.Equal(["UNAUTHENTICATED"], update.Codes); // the erasure ended every session of hers (issue 16)
        var again = await _client.RegisterAsync(Username, Email);
        Assert.NotEqual(zoeId.ToString(), again.Ok("register").Str("id"));
    }

    [Fact]
    public async Task erasing_twice_changes_nothing_the_second_time()
    {
        var (zoeId, _) = await RegisterZoeAsync();
        await EraseAsync(zoeId);
        var count = (await app.AllEventsAsync()).Count;

        var second = await EraseAsync(zoeId);

        Assert.True(second["erased"]!.GetValue<bool>());
        Assert.Equal(count, (await app.AllEventsAsync()).Count);
    }

    [Fact]
    public async Task only_admins_erase_users()
    {
        var (zoeId, zoe) = await RegisterZoeAsync();
        var (_, auditor) = await _client.RegisterWithRoleAsync("auditor.erasure3", "AUDITOR");
        var (_, analyst) = await _client.RegisterWithRoleAsync("analyst.erasure3", "ANALYST");
        var count = (await app.AllEventsAsync()).Count;

        foreach (var token in new[] { zoe, auditor, analyst })
        {
            var response = await _client.SendAsync("mutation($id: ID!) { eraseUser(input: {userId: $id}) { id } }", new { id = zoeId }, token);
            Assert.Equal(["FORBIDDEN"], response.Codes);
        }

        Assert.Equal(count, (await app.AllEventsAsync()).Count);
        var missing = await _client.SendAsync("mutation($id: ID!) { eraseUser(input: {userId: $id}) { id } }",
            new { id = Guid.CreateVersion7() }, await _client.LogInAsAdminAsync());
        Assert.Equal(["NOT_FOUND"], missing.Codes);
    }

    private async Task<(Guid Id, string Token)> RegisterZoeAsync()
    {
        var registered = await _client.SendAsync(UserScenarios.RegisterMutation,
            new { input = new { username = Username, email = Email, password = UserScenarios.Password, displayName = DisplayName } });
        var id = Guid.Parse(registered.Ok("register").Str("id"));
        var token = await _client.LogInAsync(Username, UserScenarios.Password);
        (await _client.SendAsync("mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { id } }",
            new { input = new { displayName = DisplayName, bio = Bio } }, token)).Ok("updateProfile");
        (await _client.SendAsync("mutation { changeEmail(input: {email: \"zoe.erasable@example.com\"}) { id } }", null, token)).Ok("changeEmail");
        return (id, token);
    }

    private async Task<JsonNode> EraseAsync(Guid id) =>
        (await _client.SendAsync($"mutation($id: ID!) {{ eraseUser(input: {{userId: $id}}) {{ {UserFields} }} }}", new { id },
            await _client.LogInAsAdminAsync())).Ok("eraseUser");

    private async Task<string> RevealedStreamAsync(Guid id, string auditor) =>
        (await _client.SendAsync("query($id: ID!) { auditStream(streamId: $id) { data revealedData } }", new { id }, auditor)).Body;

    private Task<long> CountInStoredEventsAsync(string[] values) =>
        app.ScalarAsync("select count(*) from eventstore.mt_events where " + Any("data::text || coalesce(headers::text, '')", values));

    /// <summary>Every Marten document table except the key table (which holds no plaintext, only wrapped keys).</summary>
    private async Task<long> CountInReadModelsAsync(string[] values)
    {
        var total = 0L;
        var tables = await app.DocumentTablesAsync();
        foreach (var table in tables)
        {
            total += await app.ScalarAsync($"select count(*) from eventstore.{table} where " + Any("data::text", values));
        }

        return total;
    }

    private static void NoPersonalData(string text)
    {
        foreach (var value in Personal)
        {
            Assert.DoesNotContain(value, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static string Any(string column, string[] values) =>
        "(" + string.Join(" or ", values.Select(v => $"{column} ilike '%{v.Replace("'", "''")}%'")) + ")";
}
