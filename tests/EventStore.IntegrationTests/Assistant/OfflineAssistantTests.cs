using EventStore.Api.Assistant;
using EventStore.Domain.Assistant;
using EventStore.Domain.Auditing;
using EventStore.Domain.Chat;
using EventStore.IntegrationTests.Chat;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.LiveFeed;
using EventStore.IntegrationTests.Trading;
using EventStore.IntegrationTests.Users;

namespace EventStore.IntegrationTests.Assistant;

/// <summary>The default, offline provider (no configuration) through GraphQL, with every interaction checked in the log.</summary>
[Collection(AppCollection.Name)]
public sealed class OfflineAssistantTests(AppFixture app) : IAsyncLifetime
{
    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(Guid Id, string Token)> TraderWithAaplAsync(string name)
    {
        var (id, token) = await _client.RegisterAndLogInAsync(name);
        await _client.DepositAsync(token, 10_000m);
        await app.QuoteAsync("AAPL", 99.90m, 100.00m);
        (await _client.PlaceAsync(token, "buy-1", "BUY", "MARKET", 10, timeInForce: "DAY")).Ok("placeOrder");
        await app.WaitForProjectionsAsync();
        return (id, token);
    }

    [Fact]
    public async Task a_question_right_after_a_deposit_sees_the_new_balance()
    {
        // Read-your-writes: no wait for the projections between the deposits and the question.
        var (_, token) = await _client.RegisterAndLogInAsync("ryw-ai");
        await _client.DepositAsync(token, 10_000m);
        await _client.DepositAsync(token, 250m);

        var interaction = (await _client.AskAsync(token, "What is my cash balance?")).Ok("askAssistant")["interaction"]!;

        Assert.Contains("cash 10250", interaction.Str("response"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task asking_about_the_portfolio_answers_offline_from_the_read_models_and_records_every_step()
    {
        var (alice, token) = await TraderWithAaplAsync("alice-ai");

        var payload = (await _client.AskAsync(token, "How is my portfolio doing?")).Ok("askAssistant");

        var interaction = payload["interaction"]!;
        Assert.Equal("ANSWERED", interaction.Str("status"));
        Assert.Equal("offline", interaction.Str("provider"));
        Assert.Equal(OfflineAssistantProvider.ModelName, interaction.Str("model"));
        Assert.Equal("stop", interaction.Str("finishReason"));
        Assert.Contains("AAPL 10", interaction.Str("response"), StringComparison.Ordinal);
        Assert.Contains("cash 8999.00", interaction.Str("response"), StringComparison.Ordinal); // 10 000 − 10 × 100 − 1.00 fee
        Assert.Equal(AssistantRules.Disclaimer, interaction.Str("disclaimer"));
        Assert.True(interaction["offline"]!.GetValue<bool>());
        Assert.Equal(["portfolio"], interaction["tools"]!.AsArray().Select(t => t!.Str("tool")));

        var interactionId = Guid.Parse(interaction.Str("id"));
        var conversationId = Guid.Parse(payload["conversation"]!.Str("id"));
        var events = (await app.AllEventsAsync()).Where(e => e.StreamId == interactionId || e.StreamId == conversationId).ToList();
        Assert.Equal([typeof(AssistantConversationStarted), typeof(AssistantPromptSubmitted), typeof(AssistantToolInvoked),
            typeof(AssistantResponseReceived)], events.Select(e => e.Data.GetType()));
        var prompt = (AssistantPromptSubmitted)events[1].Data;
        Assert.Equal("How is my portfolio doing?", await app.OpenAsync(prompt.Prompt));
        Assert.Contains("Your portfolio: cash 8999.00", await app.OpenAsync(prompt.Context), StringComparison.Ordinal);
        Assert.Equal(alice, prompt.Prompt.Subject);
        var response = (AssistantResponseReceived)events[3].Data;
        Assert.Equal(alice, response.UserId);
        Assert.Equal(conversationId, response.ConversationId);
        Assert.Equal(OfflineAssistantProvider.ModelName, response.Model);
        Assert.True(response.TokensIn > 0);
        Assert.True(response.TokensOut > 0);
        Assert.True(response.LatencyMs >= 0);
        Assert.Equal(0m, response.Cost); // no price is configured for the offline model
        Assert.True(response.Offline);
        Assert.True(response.Disclaimer);
        Assert.Equal(SystemActors.User(alice), events[1].UserName);
        Assert.Equal(SystemActors.Assistant, events[3].UserName);
    }

    [Fact]
    public async Task mentioning_the_assistant_in_a_room_posts_its_answer_into_the_room()
    {
        var (_, token) = await TraderWithAaplAsync("room-ai");
        var room = await _client.CreateRoomAsync(token, "Desk");

        // Market data, which every reader of the room may see (a question about one's own account is answered privately:
        // AssistantPrivacyTests).
        var posted = await app.AndWaitForCascadesAsync(() => _client.PostOkAsync(token, room, "@assistant what is AAPL at?"));
        await app.WaitForProjectionsAsync();

        var nodes = await _client.MessageNodesAsync(token, room);
        Assert.Equal(2, nodes.Count);
        var reply = nodes[0]!;
        Assert.Equal("assistant", reply.Str("author"));
        Assert.Equal(ChatIds.AssistantUserId.ToString(), reply.Str("authorId"));
        Assert.StartsWith("Here is what I found:\n- AAPL: bid 99.90 ask 100.00", reply.Str("text"), StringComparison.Ordinal);
        Assert.EndsWith(AssistantRules.Disclaimer, reply.Str("text"), StringComparison.Ordinal);
        Assert.True(nodes[1]!["mentionsAssistant"]!.GetValue<bool>());
        var interactionId = AssistantIds.InteractionFor(Guid.Parse(posted));
        Assert.Equal(interactionId.ToString(), reply.Str("interactionId"));
        var interaction = (await app.AllEventsAsync()).Where(e => e.StreamId == interactionId).Select(e => e.Data).ToList();
        var submitted = Assert.IsType<AssistantPromptSubmitted>(interaction[0]);
        Assert.Equal(Guid.Parse(room), submitted.RoomId);
        Assert.Equal(Guid.Parse(posted), submitted.MessageId);
        Assert.Null(submitted.ConversationId);
        Assert.IsType<AssistantResponseReceived>(interaction[^1]);
    }

    [Fact]
    public async Task the_offline_assistant_says_what_it_can_do_and_summarizes_a_room_for_a_member()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("helpee");
        var help = (await _client.AskAsync(token, "hello there")).Ok("askAssistant")["interaction"]!;
        Assert.Equal(OfflineAssistantProvider.Help, help.Str("response"));
        Assert.Null(help["disclaimer"]);

        var room = await _client.CreateRoomAsync(token, "Standup");
        await _client.PostOkAsync(token, room, "shipped the release");
        await app.WaitForProjectionsAsync();
        await app.AndWaitForCascadesAsync(() => _client.PostOkAsync(token, room, "@assistant summarize please"));
        await app.WaitForProjectionsAsync();
        var reply = (await _client.MessageNodesAsync(token, room))[0]!;
        Assert.Contains("shipped the release", reply.Str("text"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_bare_mention_is_answered_with_what_the_assistant_can_do()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("bare");
        var room = await _client.CreateRoomAsync(token, "Hello");

        await app.AndWaitForCascadesAsync(() => _client.PostOkAsync(token, room, "@assistant"));
        await app.WaitForProjectionsAsync();

        Assert.Equal(OfflineAssistantProvider.Help, (await _client.MessageNodesAsync(token, room))[0]!.Str("text"));
    }

    [Fact]
    public async Task another_users_conversation_does_not_exist_for_you_and_asking_in_it_appends_nothing()
    {
        var (_, alice) = await _client.RegisterAndLogInAsync("conv-alice");
        var (_, bob) = await _client.RegisterAndLogInAsync("conv-bob");
        var conversation = (await _client.AskAsync(alice, "hello")).Ok("askAssistant")["conversation"]!.Str("id");
        var follow = (await _client.AskAsync(alice, "and again", conversation)).Ok("askAssistant");
        var before = await AssistantEventCountAsync();

        var intrusion = await _client.AskAsync(bob, "what did alice ask?", conversation);
        var read = await _client.SendAsync("query($id: ID!) { conversation(id: $id) { id } }", new { id = conversation }, bob);

        Assert.Equal(["NOT_FOUND"], intrusion.Codes);
        Assert.Equal(["NOT_FOUND"], read.Codes);
        Assert.Equal(before, await AssistantEventCountAsync());
        Assert.Equal(conversation, follow["conversation"]!.Str("id"));
        await app.WaitForProjectionsAsync();
        var mine = (await _client.SendAsync("{ conversations { id interactions { prompt } } }", token: alice)).Ok("conversations").AsArray();
        Assert.Equal(["hello", "and again"], Assert.Single(mine)!["interactions"]!.AsArray().Select(i => i!.Str("prompt")));
    }

    [Fact]
    public async Task a_blank_or_oversized_prompt_is_a_validation_error_and_nothing_is_recorded()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("prompter");
        var before = (await app.AllEventsAsync()).Count;

        var blank = await _client.AskAsync(token, "   ");
        var huge = await _client.AskAsync(token, new string('?', AssistantRules.MaxPromptLength + 1));

        Assert.Equal(["VALIDATION"], blank.Codes);
        Assert.Equal("input.prompt", blank.Errors[0]["extensions"]!["field"]!.GetValue<string>());
        Assert.Equal(["VALIDATION"], huge.Codes);
        Assert.Equal(before, (await app.AllEventsAsync()).Count);
    }

    [Fact]
    public async Task more_requests_than_the_per_user_limit_are_rate_limited_and_not_recorded()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("chatty");
        for (var i = 0; i < new AssistantOptions().RequestsPerMinute; i++)
        {
            (await _client.AskAsync(token, $"question {i}")).Ok("askAssistant");
        }

        // The answers' notifications arrive on their own schedule (an integration event away): count the assistant's events.
        var before = await AssistantEventCountAsync();
        var limited = await _client.AskAsync(token, "one more");

        Assert.Equal(["RATE_LIMITED"], limited.Codes);
        Assert.Equal(before, await AssistantEventCountAsync());
        var (_, other) = await _client.RegisterAndLogInAsync("quiet");
        (await _client.AskAsync(other, "my first question")).Ok("askAssistant"); // the limit is per user
    }

    [Fact]
    public async Task usage_is_projected_per_user_and_per_model_and_only_analysts_and_admins_see_all_users()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("user-usage");
        (await _client.AskAsync(token, "hello")).Ok("askAssistant");
        (await _client.AskAsync(token, "hello again")).Ok("askAssistant");
        await app.WaitForProjectionsAsync();

        var mine = Assert.Single((await _client.SendAsync("{ myAssistantUsage { day model requests answered failed tokensIn tokensOut cost latencyP50Ms latencyP95Ms } }",
            token: token)).Ok("myAssistantUsage").AsArray())!;
        Assert.Equal(OfflineAssistantProvider.ModelName, mine.Str("model"));
        Assert.Equal(2, mine["requests"]!.GetValue<int>());
        Assert.Equal(2, mine["answered"]!.GetValue<int>());
        Assert.True(mine["tokensOut"]!.GetValue<long>() > 0);
        Assert.Equal(["FORBIDDEN"], (await _client.SendAsync("{ assistantUsageByModel { model } }", token: token)).Codes);
        var admin = await _client.LogInAsAdminAsync();
        var all = (await _client.SendAsync("{ assistantUsageByModel { model requests } }", token: admin)).Ok("assistantUsageByModel").AsArray();
        Assert.Equal(2, Assert.Single(all)!["requests"]!.GetValue<int>());
    }

    [Fact]
    public async Task room_messages_and_assistant_replies_arrive_live_to_those_allowed_to_see_them()
    {
        var (_, owner) = await _client.RegisterAndLogInAsync("live-owner");
        var (_, outsider) = await _client.RegisterAndLogInAsync("live-outsider");
        var room = await _client.CreateRoomAsync(owner, "Live", "PRIVATE");
        var conversation = (await _client.AskAsync(owner, "hello")).Ok("askAssistant")["conversation"]!.Str("id");
        const string roomQuery = "subscription($r: ID!) { roomMessages(roomId: $r) { sequence event message { text author } } }";
        const string repliesQuery = "subscription($c: ID!) { assistantReplies(conversationId: $c) { event interaction { prompt response provider } } }";

        var refused = await SubscriptionProbe.ExecuteAsync(app.Host, roomQuery, outsider, new { r = room });
        var refusedReplies = await SubscriptionProbe.ExecuteAsync(app.Host, repliesQuery, outsider, new { c = conversation });
        await using var messages = await SubscriptionProbe.SubscribeAsync(app.Host, roomQuery, owner, new { r = room });
        await using var replies = await SubscriptionProbe.SubscribeAsync(app.Host, repliesQuery, owner, new { c = conversation });
        await _client.PostOkAsync(owner, room, "live hello");
        (await _client.AskAsync(owner, "and now?", conversation)).Ok("askAssistant");

        Assert.Equal("NOT_FOUND", Assert.Single(refused.Errors!).Code);
        Assert.Equal("NOT_FOUND", Assert.Single(refusedReplies.Errors!).Code);
        var update = await messages.NextAsync();
        Assert.Equal("message_posted", update.Str("event"));
        Assert.Equal("live hello", update["message"]!.Str("text"));
        // "Live from now" starts at the feed's position, which may still be before the first answer: skip up to ours.
        var reply = await replies.NextAsync();
        while (reply["interaction"]!.Str("prompt") != "and now?")
        {
            reply = await replies.NextAsync();
        }

        Assert.Equal("assistant_response_received", reply.Str("event"));
        Assert.Equal("offline", reply["interaction"]!.Str("provider"));
    }

    private async Task<int> AssistantEventCountAsync() =>
        (await app.AllEventsAsync()).Count(e => e.Data.GetType().Namespace == typeof(AssistantPromptSubmitted).Namespace);
}
