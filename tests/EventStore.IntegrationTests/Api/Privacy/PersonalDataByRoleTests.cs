using System.Globalization;
using System.Text.Json.Nodes;
using EventStore.Api.GraphQL.PersonalFields;
using EventStore.IntegrationTests.Assistant;
using EventStore.IntegrationTests.Chat;
using EventStore.IntegrationTests.Community;
using EventStore.IntegrationTests.Files;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Trading;
using EventStore.IntegrationTests.Users;
using EventStore.IntegrationTests.WebSockets;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;

namespace EventStore.IntegrationTests.Api.Privacy;

/// <summary>
/// Personal data by role, schema-wide: a trader fills every kind of personal field with marked values ("canary"); then
/// each role walks every field of the schema it can reach from the root query, as introspection describes it (not a
/// hand list). The analyst's answers hold no canary, and every field marked personal is null, a pseudonym or refused,
/// unless it is the analyst's own. The trader's own walk finds every canary, which proves the walk reaches them.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class PersonalDataByRoleTests(AppFixture app) : IAsyncLifetime
{
    private const string Phone = "+14155550177";

    private static readonly string[] Canaries =
    [
        "canary.alice", "canary.alice@example.com", "Canary Display Name", "Canary bio text", "Canary Lounge",
        "canary message one", "canary message two", "canary-order-1", "canary question", Phone, "canary post idea", "canary comment text", "canary-chart",
    ];

    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task an_analyst_walking_every_reachable_field_gets_no_one_elses_personal_data_while_its_owner_sees_all_of_it()
    {
        var world = await SeedAsync();
        var (analystId, analyst) = await _client.RegisterWithRoleAsync("pii.analyst", "ANALYST");
        (await _client.InviteAsync(world.AliceToken, world.PrivateRoom, analystId)).Ok("inviteToRoom");
        var (_, auditor) = await _client.RegisterWithRoleAsync("pii.auditor", "AUDITOR");
        var admin = await _client.LogInAsAdminAsync();
        await app.WaitForProjectionsAsync();

        var personal = PersonalFields();
        var analystWalk = await WalkAsync(world, analyst);
        var aliceWalk = await WalkAsync(world, world.AliceToken);
        await WalkAsync(world, auditor);
        await WalkAsync(world, admin);

        // The owner's walk reaches every canary: the analyst's walk below is not empty by accident.
        var aliceText = string.Join("\n", aliceWalk.SelectMany(a => Strings(a.Response.Json)));
        Assert.All(Canaries, canary => Assert.Contains(canary, aliceText, StringComparison.Ordinal));

        var own = new HashSet<string>(["pii.analyst", "pii.analyst@example.com"]);
        var checkedFields = new HashSet<string>();
        foreach (var (root, selection, response) in analystWalk)
        {
            var text = string.Join("\n", Strings(response.Json));
            foreach (var canary in Canaries)
            {
                Assert.False(text.Contains(canary, StringComparison.OrdinalIgnoreCase), $"{root}: '{canary}' in {response.Body}");
            }

            Assert.True(response.Status < 500, $"{root}: {response.Body}");
            foreach (var (field, value, path) in SchemaWalk.Values(selection, response.Data, ""))
            {
                if (!personal.TryGetValue(field, out var kind))
                {
                    continue;
                }

                checkedFields.Add(field);
                var read = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
                var hidden = value is null or JsonArray { Count: 0 }
                    || (kind == PersonalKind.Identity && (read?.StartsWith("t_", StringComparison.Ordinal) == true || read == "assistant"))
                    || (read is not null && own.Contains(read));
                Assert.True(hidden, $"{field} at {path} gave the analyst {value?.ToJsonString()} ({root})");
            }
        }

        // The walk read the personal fields of the chat, the directory and the analyst's own data at least.
        string[] expected = ["Message.text", "Message.author", "RoomMember.username", "Room.name", "User.username", "Message.revisions",
            "Post.text", "Post.author", "PostComment.text"];
        Assert.Empty(expected.Except(checkedFields));
    }

    [Fact]
    public async Task an_analyst_subscribed_to_a_public_room_gets_pseudonyms_and_no_text_over_the_websocket()
    {
        var world = await SeedAsync();
        var (_, analyst) = await _client.RegisterWithRoleAsync("pii.live.analyst", "ANALYST");

        await using var live = await GraphQLWebSocketClient.ConnectAndInitAsync(app.Host, new { authorization = "Bearer " + analyst });
        // `after: "0"` replays the room from its start once the subscription holds its place: nothing can slip past it.
        await live.SubscribeAsync("room", "subscription($r: ID!) { roomMessages(roomId: $r, after: \"0\") { event message { id author authorId text revisions { text } } } }",
            new { r = world.PublicRoom });
        var posted = await _client.PostOkAsync(world.AliceToken, world.PublicRoom, "canary live message");

        JsonNode message;
        do
        {
            var frame = await live.ReceiveAsync();
            Assert.True(frame.Str("type") == "next", frame.ToJsonString());
            Assert.DoesNotContain("canary", string.Join("\n", Strings(frame)), StringComparison.OrdinalIgnoreCase);
            message = frame["payload"]!["data"]!["roomMessages"]!["message"]!;
            Assert.Null(message["text"]);
            Assert.Empty(message["revisions"]!.AsArray());
            Assert.StartsWith("t_", message.Str("author"), StringComparison.Ordinal);
            Assert.Equal(world.AliceId.ToString(), message.Str("authorId"));
        }
        while (message.Str("id") != posted);
    }

    [Fact]
    public async Task an_analyst_reads_their_own_profile_and_sees_the_same_pseudonym_as_the_analytics_tables()
    {
        var world = await SeedAsync();
        var (_, analyst) = await _client.RegisterWithRoleAsync("pii.self.analyst", "ANALYST");
        await app.WaitForProjectionsAsync();

        var me = (await _client.SendAsync("{ me { username email } }", token: analyst)).Ok("me")!;
        Assert.Equal("pii.self.analyst", me.Str("username"));
        Assert.Equal("pii.self.analyst@example.com", me.Str("email"));

        var members = (await _client.SendAsync("query($r: ID!) { room(id: $r) { name members { userId username } } }",
            new { r = world.PublicRoom }, analyst)).Ok("room")!;
        Assert.Null(members["name"]);
        var pseudonyms = app.Host.Services.GetRequiredService<EventStore.Projections.Analytics.AnalyticsPseudonyms>();
        Assert.Equal(pseudonyms.Trader(world.AliceId), Assert.Single(members["members"]!.AsArray())!.Str("username"));
    }

    /// <summary>A trader whose every personal field holds a canary: profile, a public and a private room, an edited message, an order, an assistant question, a phone number, a post and a comment, a file attached to a post.</summary>
    private async Task<World> SeedAsync()
    {
        var (aliceId, alice) = await _client.RegisterAndLogInAsync("canary.alice");
        (await _client.SendAsync("mutation { updateProfile(input: {displayName: \"Canary Display Name\", bio: \"Canary bio text\"}) { id } }",
            token: alice)).Ok("updateProfile");
        (await _client.SendAsync("mutation($p: String) { updateNotificationPreferences(input: {email: false, sms: true, phoneNumber: $p}) { sms } }",
            new { p = Phone }, alice)).Ok("updateNotificationPreferences");
        var room = await _client.CreateRoomAsync(alice, "Canary Lounge");
        var privateRoom = await _client.CreateRoomAsync(alice, "Canary Lounge private", "PRIVATE");
        var message = await _client.PostOkAsync(alice, room, "canary message one");
        await _client.EditOkAsync(alice, message, "canary message two");
        await _client.PostOkAsync(alice, privateRoom, "canary message one in private");
        await _client.DepositAsync(alice, 10_000m);
        await app.QuoteAsync("AAPL", 99.98m, 100.00m);
        var order = (await _client.PlaceAsync(alice, "canary-order-1", "BUY", "MARKET", 1)).Ok("placeOrder")["order"]!.Str("id");
        var asked = (await _client.AskAsync(alice, "canary question: what is the AAPL quote?")).Ok("askAssistant");
        var post = await _client.CreatePostOkAsync(alice, "canary post idea", "AAPL");
        (await _client.SendAsync("mutation($p: ID!) { commentOnPost(input: {postId: $p, text: \"canary comment text\"}) { comment { id } } }",
            new { p = post }, alice)).Ok("commentOnPost");
        using var http = app.Host.Server.CreateClient();
        var file = (await FileScenarios.UploadOkAsync(http, alice, FileScenarios.Png(1_000), "canary-chart.png")).Str("id");
        (await _client.SendAsync("mutation($a: [ID!]) { createPost(input: {text: \"see the chart\", attachmentIds: $a}) { post { id } } }",
            new { a = new[] { file } }, alice)).Ok("createPost");
        await app.WaitForProjectionsAsync();
        return new World(aliceId, alice, room, privateRoom, order, asked["conversation"]!.Str("id"), post, file);
    }

    private async Task<List<(string Root, SchemaWalk.Selection Selection, GraphQLResponse Response)>> WalkAsync(World world, string token)
    {
        var schema = await SchemaWalk.IntrospectAsync(async (query, variables) =>
        {
            var response = await _client.SendAsync(query, variables, token);
            Assert.True(response.Errors.Count == 0, response.Body);
            return response.Data!;
        });
        var walk = new SchemaWalk(schema, (type, field, argument) => Argument(world, type, field, argument));
        var answers = new List<(string, SchemaWalk.Selection, GraphQLResponse)>();
        foreach (var root in walk.RootFields)
        {
            var pending = new Stack<SchemaWalk.Selection>(walk.QueryFor(root) is { } whole ? [whole] : []);
            while (pending.TryPop(out var selection))
            {
                var response = await _client.SendAsync(selection.Query, token: token);
                Assert.True(response.Status < 500, $"{root}: {response.Body}");
                if (response.Errors.Any(e => e["extensions"]?["reason"]?.GetValue<string>() == "QUERY_TOO_COMPLEX"))
                {
                    // The limits stay as they are for everyone: the walk asks in smaller pieces instead.
                    // A single path of nested lists can stay too complex (conversations > interactions > tools): it is
                    // left out here; the fields at its end are reached by a shorter path (conversation(id)).
                    selection.Split().ToList().ForEach(pending.Push);
                    continue;
                }

                Assert.False(response.Codes.Contains("VALIDATION"), $"{root}: {selection.Query} -> {response.Body}"); // the walk writes valid queries
                answers.Add((root, selection, response));
            }
        }

        // Every root field is walked, or left out only for want of an argument value the walk cannot know.
        Assert.DoesNotContain(walk.Skipped, s => s.StartsWith("Query.", StringComparison.Ordinal));
        return answers;
    }

    /// <summary>Values for the arguments the walk meets, by name: the seeded world's ids, a symbol, a day range.</summary>
    private static string? Argument(World world, string type, string field, string argument)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return (field, argument) switch
        {
            ("room" or "messages", "id" or "roomId") => Quote(world.PublicRoom),
            ("order", "id") => Quote(world.OrderId),
            ("post", "id") => Quote(world.PostId),
            ("file", "id") => Quote(world.FileId),
            ("conversation", "id") => Quote(world.ConversationId),
            ("user", "id") => Quote(world.AliceId.ToString()),
            ("auditStream" or "aggregateAsOf", "streamId") => Quote(world.AliceId.ToString()),
            (_, "symbol") when type == "Query" => Quote("AAPL"),
            ("search", "query") => Quote("canary"),
            (_, "from") => Quote(today.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            (_, "to") => Quote(today.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            _ => null,
        };
    }

    /// <summary>Every string in an answer, decoded (JSON may escape a canary's characters, e.g. + as \u002B).</summary>
    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Strings(p.Value).Prepend(p.Key)),
        JsonArray a => a.SelectMany(Strings),
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };

    private static string Quote(string value) => System.Text.Json.JsonSerializer.Serialize(value);

    /// <summary>The fields marked personal, read from the running schema's own metadata.</summary>
    private Dictionary<string, PersonalKind> PersonalFields()
    {
        var schema = app.Host.Services.GetRequiredService<ISchema>();
        schema.Initialize();
        var marked = new Dictionary<string, PersonalKind>();
        foreach (var type in schema.AllTypes.OfType<IComplexGraphType>())
        {
            foreach (var field in type.Fields)
            {
                if (field.GetPersonal() is { } personal)
                {
                    marked[$"{type.Name}.{field.Name}"] = personal.Kind;
                }
            }
        }

        Assert.Contains("Message.text", marked.Keys);
        return marked;
    }

    private sealed record World(Guid AliceId, string AliceToken, string PublicRoom, string PrivateRoom, string OrderId, string ConversationId,
        string PostId, string FileId);
}
