using System.Globalization;
using EventStore.Api.Assistant;
using EventStore.Domain.Assistant;
using EventStore.IntegrationTests.Chat;
using EventStore.IntegrationTests.Infrastructure;
using static EventStore.IntegrationTests.Assistant.AssistantPrivacyScenario;
using static EventStore.IntegrationTests.Assistant.ChatCompletionsStub;

namespace EventStore.IntegrationTests.Assistant;

/// <summary>
/// Who reads the answers of the OpenAI-compatible provider, stubbed by WireMock.Net: what the model is sent for each
/// place an answer goes to, and where its answer lands. The model is outside our walls, so what it is sent is what it can
/// leak: a room's request must carry nothing the room may not read.
/// </summary>
[Collection(HttpAssistantCollection.Name)]
public sealed class HttpAssistantPrivacyTests(HttpAssistantFixture app) : IAsyncLifetime
{
    private const string ModelAnswer = "MODEL-ANSWER";

    private readonly GraphQLClient _client = new(app.Host);
    private AssistantPrivacyScenario _scenario = null!;

    public async Task InitializeAsync()
    {
        await app.ResetAllAsync();
        _scenario = new AssistantPrivacyScenario(app, _client);
        await _scenario.TradersAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string, string> ToolsAndPlaces()
    {
        var data = new TheoryData<string, string>();
        foreach (var tool in Tools.Keys)
        {
            foreach (var place in (string[])[PrivateConversation, Public, Private, Direct])
            {
                data.Add(tool, place);
            }
        }

        return data;
    }

    [Fact]
    public async Task wiremock_in_a_public_room_a_cash_question_goes_to_the_model_privately_and_its_answer_only_to_the_asker()
    {
        var cash = _scenario.Figures[2].ToString(CultureInfo.InvariantCulture);
        app.Stub.Answer(Completion($"You hold {cash} in cash."));
        var room = (await _scenario.PlaceAsync(Public))!;

        await _scenario.MentionAsync(room, "what is my cash balance?");

        var seen = await _scenario.RoomAsReaderAsync(Public, room);
        Assert.Equal(AssistantRules.AnsweredPrivately, seen[0]!.Str("text"));
        _scenario.AssertNoFigureIn(seen.Select(n => n!["text"]?.GetValue<string>()));
        await _scenario.AssertNoFigureInRoomEventsAsync(room); // the model's answer named her cash: not in the room's log either
        var answer = Assert.Single(Assert.Single(await _scenario.ConversationsAsync())!["interactions"]!.AsArray())!;
        Assert.Equal(($"You hold {cash} in cash.", room), (answer.Str("response"), answer.Str("roomId")));
        var system = SystemMessage(Assert.Single(app.Stub.Bodies));
        Assert.StartsWith(AssistantTools.PrivateInstructions, system, StringComparison.Ordinal);
        Assert.Contains(_scenario.Figures[2], Numbers(system));
    }

    [Theory]
    [MemberData(nameof(ToolsAndPlaces))]
    public async Task wiremock_each_tool_reaches_the_model_only_for_an_audience_that_may_read_it(string tool, string place)
    {
        app.Stub.Answer(Completion(ModelAnswer));
        var (prompt, shows) = Tools[tool];
        var room = await _scenario.PlaceAsync(place);
        var privately = room is null || AskersOwnTools.Contains(tool);

        if (room is null)
        {
            Assert.Equal(ModelAnswer, (await _client.AskAsync(_scenario.Alice.Token, prompt)).Ok("askAssistant")["interaction"]!.Str("response"));
        }
        else
        {
            await _scenario.MentionAsync(room, prompt);
            var reply = (await _scenario.RoomAsReaderAsync(place, room))[0]!.Str("text");
            Assert.Equal(privately ? AssistantRules.AnsweredPrivately : ModelAnswer, reply.Split("\n\n")[0]);
            await _scenario.AssertNoFigureInRoomEventsAsync(room);
            var conversations = await _scenario.ConversationsAsync();
            Assert.Equal(privately ? 1 : 0, conversations.Count);
        }

        var body = Assert.Single(app.Stub.Bodies);
        var system = SystemMessage(body);
        Assert.StartsWith(privately ? AssistantTools.PrivateInstructions : AssistantTools.SharedInstructions, system, StringComparison.Ordinal);
        Assert.Equal(["system", "user"], body["messages"]!.AsArray().Select(m => m!.Str("role"))); // no history, ever
        if (room is null && tool == "room_summary")
        {
            Assert.Equal(AssistantTools.PrivateInstructions, system); // not chosen outside a room
        }
        else
        {
            Assert.Contains(shows, system, StringComparison.Ordinal);
        }

        if (!privately)
        {
            _scenario.AssertNoFigureIn([body.ToJsonString()]);
        }
    }

    [Fact]
    public async Task wiremock_a_room_question_after_a_private_answer_is_sent_without_it()
    {
        var cash = _scenario.Figures[2].ToString(CultureInfo.InvariantCulture);
        app.Stub.Answer(Completion($"You hold {cash} in cash."), Completion("AAPL is quoted and the desk is open."));
        (await _client.AskAsync(_scenario.Alice.Token, "what is my cash balance?")).Ok("askAssistant");
        var room = (await _scenario.PlaceAsync(Public))!;

        await _scenario.MentionAsync(room, "what is AAPL at? summarize please");

        Assert.Equal(2, app.Stub.Bodies.Count);
        var roomRequest = app.Stub.Bodies[1];
        var system = SystemMessage(roomRequest);
        Assert.StartsWith(AssistantTools.SharedInstructions, system, StringComparison.Ordinal);
        Assert.Contains(Tools["quote"].Shows, system, StringComparison.Ordinal);
        Assert.Contains(EarlierRoomMessage, system, StringComparison.Ordinal);
        Assert.DoesNotContain("You hold", roomRequest.ToJsonString(), StringComparison.Ordinal);
        _scenario.AssertNoFigureIn([roomRequest.ToJsonString()]);
        var seen = await _scenario.RoomAsReaderAsync(Public, room);
        Assert.StartsWith("AAPL is quoted and the desk is open.", seen[0]!.Str("text"), StringComparison.Ordinal);
        _scenario.AssertNoFigureIn(seen.Select(n => n!["text"]?.GetValue<string>()));
        await _scenario.AssertNoFigureInRoomEventsAsync(room);
    }

    private static string SystemMessage(System.Text.Json.Nodes.JsonNode body) => body["messages"]![0]!.Str("content");
}
