using EventStore.Api.Assistant;
using EventStore.Domain.Assistant;
using EventStore.IntegrationTests.Chat;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;
using static EventStore.IntegrationTests.Assistant.AssistantPrivacyScenario;

namespace EventStore.IntegrationTests.Assistant;

/// <summary>
/// Who reads the assistant's answers (offline provider, real HTTP and PostgreSQL): every tool in every place an answer
/// can go, and the regression that made this page: a cash question in a public room answered in the room.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AssistantPrivacyTests(AppFixture app) : IAsyncLifetime
{
    private readonly GraphQLClient _client = new(app.Host);
    private AssistantPrivacyScenario _scenario = null!;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
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

        data.Add("portfolio", PrivateAlone);
        data.Add("open_orders", PrivateAlone);
        return data;
    }

    [Fact]
    public async Task in_a_public_room_asking_for_my_cash_balance_puts_no_figure_of_mine_in_the_room_and_answers_me_privately()
    {
        var room = (await _scenario.PlaceAsync(Public))!;

        var interactionId = await _scenario.MentionAsync(room, "what is my cash balance?");

        // What the room's readers see: a member, and a signed-in user who is not one (a public room is read by anyone).
        var (_, carol) = await _client.RegisterAndLogInAsync("carol-priv");
        foreach (var reader in (string[])[_scenario.Bob.Token, carol])
        {
            var seen = await _client.MessageNodesAsync(reader, room);
            Assert.Equal(["assistant", "alice-priv", "alice-priv"], seen.Select(n => n!.Str("author")));
            Assert.Equal(AssistantRules.AnsweredPrivately, seen[0]!.Str("text"));
            _scenario.AssertNoFigureIn(seen.Select(n => n!["text"]?.GetValue<string>()));
        }

        await _scenario.AssertNoFigureInRoomEventsAsync(room);

        // What Alice gets: the answer, in a conversation of her own that names the room and message it answers.
        var conversation = Assert.Single(await _scenario.ConversationsAsync())!;
        var answer = Assert.Single(conversation["interactions"]!.AsArray())!;
        Assert.Equal((interactionId.ToString(), room, "ANSWERED"), (answer.Str("id"), answer.Str("roomId"), answer.Str("status")));
        Assert.StartsWith("Here is what I found in your data:\n- Your portfolio: cash ", answer.Str("response"), StringComparison.Ordinal);
        Assert.Contains(_scenario.Figures[2], Numbers(answer.Str("response"))); // her cash, where only she reads it
        Assert.Equal(AssistantRules.Disclaimer, answer.Str("disclaimer"));

        // The log: asked in the room, answered in the conversation; the tool ran for an audience of the asker alone.
        var events = (await app.AllEventsAsync()).Where(e => e.StreamId == interactionId).Select(e => e.Data).ToList();
        var submitted = Assert.IsType<AssistantPromptSubmitted>(events[0]);
        Assert.Equal((Guid.Parse(room), Guid.Parse(conversation.Str("id"))), (submitted.RoomId, submitted.ConversationId));
        var invoked = Assert.Single(events.OfType<AssistantToolInvoked>());
        Assert.Equal(("portfolio", "asker"), (invoked.Tool, invoked.Audience));
        Assert.StartsWith(AssistantTools.PrivateInstructions, await app.OpenAsync(submitted.Context), StringComparison.Ordinal);
        var received = Assert.Single(events.OfType<AssistantResponseReceived>());
        Assert.Equal((Guid.Parse(room), Guid.Parse(conversation.Str("id"))), (received.RoomId, received.ConversationId));

        // A summary asked for afterwards, by another member, still reads no figure: earlier answers are never fed back in.
        await _scenario.MentionAsync(room, "summarize please", _scenario.Bob.Token);
        var after = await _client.MessageNodesAsync(carol, room);
        Assert.Contains(EarlierRoomMessage, after[0]!.Str("text"), StringComparison.Ordinal);
        _scenario.AssertNoFigureIn(after.Select(n => n!["text"]?.GetValue<string>()));
        await _scenario.AssertNoFigureInRoomEventsAsync(room);
    }

    [Theory]
    [MemberData(nameof(ToolsAndPlaces))]
    public async Task each_tool_is_answered_only_where_every_reader_may_see_its_data(string tool, string place)
    {
        var (prompt, shows) = Tools[tool];
        var room = await _scenario.PlaceAsync(place);
        Guid interactionId;
        if (room is null)
        {
            var asked = (await _client.AskAsync(_scenario.Alice.Token, prompt)).Ok("askAssistant")["interaction"]!;
            interactionId = Guid.Parse(asked.Str("id"));
            Assert.Contains(tool == "room_summary" ? OfflineAssistantProvider.Help : shows, asked.Str("response"), StringComparison.Ordinal);
        }
        else
        {
            interactionId = await _scenario.MentionAsync(room, prompt);
            var seen = await _scenario.RoomAsReaderAsync(place, room);
            var reply = seen[0]!;
            Assert.Equal(("assistant", interactionId.ToString()), (reply.Str("author"), reply.Str("interactionId")));
            _scenario.AssertNoFigureIn(seen.Select(n => n!["text"]?.GetValue<string>()));
            await _scenario.AssertNoFigureInRoomEventsAsync(room);
            var conversations = await _scenario.ConversationsAsync();
            if (AskersOwnTools.Contains(tool))
            {
                Assert.Equal(AssistantRules.AnsweredPrivately, reply.Str("text"));
                var answer = Assert.Single(Assert.Single(conversations)!["interactions"]!.AsArray())!;
                Assert.Equal((interactionId.ToString(), room), (answer.Str("id"), answer.Str("roomId")));
                Assert.Contains(shows, answer.Str("response"), StringComparison.Ordinal);
            }
            else
            {
                Assert.Contains(shows, reply.Str("text"), StringComparison.Ordinal);
                Assert.Empty(conversations);
            }
        }

        var audiences = (await app.AllEventsAsync()).Select(e => e.Data).OfType<AssistantToolInvoked>()
            .Where(e => e.InteractionId == interactionId).Select(e => (e.Tool, e.Audience)).ToList();
        var expected = room is null || AskersOwnTools.Contains(tool) ? "asker" : place == Public ? "everyone" : "room_members";
        List<(string, string?)> expectedCalls = room is null && tool == "room_summary" ? [] : [(tool, expected)];
        Assert.Equal(expectedCalls, audiences);
    }

    [Fact]
    public async Task a_room_question_mixing_market_data_and_my_account_is_answered_privately_as_a_whole()
    {
        var room = (await _scenario.PlaceAsync(Direct))!;

        var interactionId = await _scenario.MentionAsync(room, "what is AAPL at, and what is my P&L?");

        var seen = await _scenario.RoomAsReaderAsync(Direct, room);
        Assert.Equal(AssistantRules.AnsweredPrivately, seen[0]!.Str("text"));
        Assert.DoesNotContain("AAPL: bid", seen[0]!.Str("text"), StringComparison.Ordinal);
        _scenario.AssertNoFigureIn(seen.Select(n => n!["text"]?.GetValue<string>()));
        await _scenario.AssertNoFigureInRoomEventsAsync(room);
        var answer = Assert.Single(Assert.Single(await _scenario.ConversationsAsync())!["interactions"]!.AsArray())!;
        Assert.Contains(Tools["portfolio"].Shows, answer.Str("response"), StringComparison.Ordinal);
        Assert.Contains(Tools["quote"].Shows, answer.Str("response"), StringComparison.Ordinal);
        var invoked = (await app.AllEventsAsync()).Select(e => e.Data).OfType<AssistantToolInvoked>().Where(e => e.InteractionId == interactionId);
        Assert.Equal([("portfolio", "asker"), ("quote", "asker")], invoked.Select(e => (e.Tool, e.Audience ?? "")));
    }

    [Fact]
    public async Task a_privately_answered_room_question_can_be_followed_up_in_its_conversation_by_its_owner_only()
    {
        var room = (await _scenario.PlaceAsync(Private))!;
        await _scenario.MentionAsync(room, "how is my portfolio?");
        var conversation = Assert.Single(await _scenario.ConversationsAsync())!.Str("id");

        var followUp = (await _client.AskAsync(_scenario.Alice.Token, "and my open orders?", conversation)).Ok("askAssistant");
        var intrusion = await _client.AskAsync(_scenario.Bob.Token, "what did alice ask?", conversation);
        var peek = await _client.SendAsync("query($id: ID!) { conversation(id: $id) { id } }", new { id = conversation }, _scenario.Bob.Token);

        Assert.Contains(Tools["open_orders"].Shows, followUp["interaction"]!.Str("response"), StringComparison.Ordinal);
        Assert.Equal(["NOT_FOUND"], intrusion.Codes);
        Assert.Equal(["NOT_FOUND"], peek.Codes);
    }
}
