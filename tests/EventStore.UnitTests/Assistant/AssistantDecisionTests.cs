using EventStore.Domain;
using EventStore.Domain.Assistant;
using EventStore.Domain.Assistant.Answering;
using EventStore.Domain.Assistant.Asking;
using EventStore.Domain.Chat;
using static EventStore.UnitTests.PersonalDataFixture;

namespace EventStore.UnitTests.Assistant;

public sealed class AssistantDecisionTests
{
    private static readonly Guid UserId = Guid.Parse("0197a5c4-1b2e-7d3f-8a4b-5c6d7e8f9d01");
    private static readonly Guid OtherUser = Guid.Parse("0197a5c4-1b2e-7d3f-8a4b-5c6d7e8f9d02");
    private static readonly Guid ConversationId = Guid.Parse("0197a5c4-1b2e-7d3f-8a4b-5c6d7e8f9d03");
    private static readonly Guid InteractionId = Guid.Parse("0197a5c4-1b2e-7d3f-8a4b-5c6d7e8f9d04");
    private static readonly Guid RoomId = Guid.Parse("0197a5c4-1b2e-7d3f-8a4b-5c6d7e8f9d05");
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static SubmitPrompt InConversation(bool starts = false, Guid? user = null) =>
        new(InteractionId, user ?? UserId, ConversationId, starts, null, null, " How is my portfolio? ", "ctx",
            [new ToolCall("portfolio", "{}", "cash 10", "asker")]);

    private static Conversation ConversationOf(Guid owner)
    {
        var conversation = new Conversation();
        conversation.Apply(new AssistantConversationStarted(ConversationId, owner, Now.AddDays(-1)));
        return conversation;
    }

    private static Interaction Pending(Guid? room = null)
    {
        var interaction = new Interaction();
        interaction.Apply(new AssistantPromptSubmitted(InteractionId, UserId, room is null ? ConversationId : null, room, null, Seal(UserId, "q"), Seal(UserId, ""), Now));
        return interaction;
    }

    private static RecordAssistantResponse Response(bool disclaimer = false) =>
        new(InteractionId, "openai", "gpt-x", 100, 20, 350, 0.08m, "stop", "The answer.", disclaimer, false);

    [Fact]
    public void a_first_question_starts_the_conversation_and_records_the_prompt_and_its_tools()
    {
        var decision = SubmitPromptHandler.Decide(null, InConversation(starts: true), SealerFor(UserId), Now);

        Assert.Equal(new AssistantConversationStarted(ConversationId, UserId, Now), decision.Started);
        var submitted = Assert.IsType<AssistantPromptSubmitted>(decision.Interaction[0]);
        var tool = Assert.IsType<AssistantToolInvoked>(decision.Interaction[1]);
        Assert.Equal(2, decision.Interaction.Count);
        Assert.Equal((InteractionId, UserId, (Guid?)ConversationId, (Guid?)null, (Guid?)null, Now),
            (submitted.InteractionId, submitted.UserId, submitted.ConversationId, submitted.RoomId, submitted.MessageId, submitted.SubmittedAt));
        Assert.Equal(("How is my portfolio?", "ctx"), (Open(submitted.Prompt), Open(submitted.Context)));
        Assert.Equal((InteractionId, "portfolio", "{}", "cash 10", Now, "asker"),
            (tool.InteractionId, tool.Tool, tool.Arguments, Open(tool.ResultSummary), tool.InvokedAt, tool.Audience));
        Assert.All([submitted.Prompt, submitted.Context, tool.ResultSummary], v => Assert.Equal(UserId, v.Subject));
    }

    [Fact]
    public void a_follow_up_in_ones_own_conversation_starts_nothing_new() =>
        Assert.Null(SubmitPromptHandler.Decide(ConversationOf(UserId), InConversation(), SealerFor(UserId), Now).Started);

    [Fact]
    public void someone_elses_or_a_missing_conversation_is_not_found()
    {
        Assert.Throws<NotFoundException>(() => SubmitPromptHandler.Decide(ConversationOf(OtherUser), InConversation(), SealerFor(UserId), Now));
        Assert.Throws<NotFoundException>(() => SubmitPromptHandler.Decide(null, InConversation(), SealerFor(UserId), Now));
    }

    [Fact]
    public void an_answer_is_recorded_once_with_everything_about_it()
    {
        var events = RecordOutcomeHandler.DecideResponse(Pending(), Response(), SealerFor(UserId), Now).ToList();

        var received = Assert.IsType<AssistantResponseReceived>(Assert.Single(events));
        Assert.Equal("The answer.", Open(received.Text));
        Assert.Equal(new AssistantResponseReceived(InteractionId, UserId, ConversationId, null, "openai", "gpt-x", 100, 20, 350, 0.08m,
            "stop", received.Text, false, false, Now), received);
        var answered = Pending();
        answered.Apply((AssistantResponseReceived)events[0]);
        Assert.Empty(RecordOutcomeHandler.DecideResponse(answered, Response(), SealerFor(UserId), Now));
        Assert.Empty(RecordOutcomeHandler.DecideFailure(answered, new RecordAssistantFailure(InteractionId, "openai", "gpt-x", "timeout", 2, 1, "x"), SealerFor(UserId), Now));
    }

    [Fact]
    public void an_answer_to_a_room_mention_is_posted_in_the_room_by_the_assistant_with_the_disclaimer()
    {
        var events = RecordOutcomeHandler.DecideResponse(Pending(RoomId), Response(disclaimer: true), SealerFor(UserId), Now).ToList();

        var reply = Assert.IsType<MessagePosted>(events[1]);
        Assert.Equal((AssistantIds.ReplyFor(InteractionId), RoomId, ChatIds.AssistantUserId, (Guid?)InteractionId),
            (reply.MessageId, reply.RoomId, reply.AuthorId, reply.InteractionId));
        Assert.Equal("The answer.\n\n" + AssistantRules.Disclaimer, Open(reply.Text));
        Assert.Equal(UserId, reply.Text.Subject); // sealed under the asking user's key, not the assistant's
        Assert.False(reply.MentionsAssistant); // the assistant never summons itself
    }

    [Fact]
    public void a_room_question_answered_privately_records_the_answer_for_the_asker_and_posts_only_a_pointer_in_the_room()
    {
        var message = Guid.Parse("0197a5c4-1b2e-7d3f-8a4b-5c6d7e8f9d06");
        var decision = SubmitPromptHandler.Decide(null, new SubmitPrompt(InteractionId, UserId, ConversationId, true, RoomId, message,
            "what is my cash?", "ctx", [new ToolCall("portfolio", "{}", "cash 1234.56", "asker")]), SealerFor(UserId), Now);
        var interaction = new Interaction();
        interaction.Apply(Assert.IsType<AssistantPromptSubmitted>(decision.Interaction[0]));

        var events = RecordOutcomeHandler.DecideResponse(interaction, Response(disclaimer: true) with { Text = "You hold 1234.56." },
            SealerFor(UserId), Now).ToList();

        Assert.Equal(new AssistantConversationStarted(ConversationId, UserId, Now), decision.Started);
        var received = Assert.IsType<AssistantResponseReceived>(events[0]);
        Assert.Equal(((Guid?)ConversationId, (Guid?)RoomId, "You hold 1234.56."), (received.ConversationId, received.RoomId, Open(received.Text)));
        var reply = Assert.IsType<MessagePosted>(events[1]);
        Assert.Equal((RoomId, AssistantRules.AnsweredPrivately), (reply.RoomId, Open(reply.Text)));
        Assert.DoesNotContain("1234.56", AssistantRules.AnsweredPrivately, StringComparison.Ordinal);
    }

    [Fact]
    public void a_failure_is_recorded_and_in_a_room_the_assistant_says_it_is_unavailable()
    {
        var events = RecordOutcomeHandler.DecideFailure(Pending(RoomId),
            new RecordAssistantFailure(InteractionId, "openai", "gpt-x", "circuit_open", 0, 2, AssistantRules.UnavailableAnswer), SealerFor(UserId), Now).ToList();

        Assert.Equal(new AssistantRequestFailed(InteractionId, UserId, null, RoomId, "openai", "gpt-x", "circuit_open", 0, 2, Now), events[0]);
        Assert.Equal(AssistantRules.UnavailableAnswer, Open(Assert.IsType<MessagePosted>(events[1]).Text));
    }

    [Fact]
    public void an_outcome_for_a_missing_interaction_is_not_found() =>
        Assert.Throws<NotFoundException>(() => RecordOutcomeHandler.DecideResponse(null, Response(), SealerFor(UserId), Now).ToList());

    [Fact]
    public void prompts_are_validated()
    {
        var validator = new SubmitPrompt.Validator();
        validator.Validate(InConversation()).ShouldPass();
        validator.Validate(InConversation() with { Prompt = "  " }).ShouldFailOn("Prompt");
        validator.Validate(InConversation() with { Prompt = new string('p', AssistantRules.MaxPromptLength + 1) })
            .ShouldFailWith("Prompt", "MaximumLengthValidator");
        validator.Validate(InConversation() with { RoomId = RoomId, MessageId = InteractionId }).ShouldFailOn("ConversationId");
        validator.Validate(InConversation() with { ConversationId = null }).ShouldFailOn("ConversationId");
        validator.Validate(InConversation() with { ConversationId = null, RoomId = RoomId, MessageId = InteractionId }).ShouldPass();
        validator.Validate(InConversation() with { ConversationId = null, RoomId = RoomId }).ShouldFailOn("MessageId");
        // A room question answered privately: asked in the room, answered in a conversation it starts.
        validator.Validate(InConversation(starts: true) with { RoomId = RoomId, MessageId = InteractionId }).ShouldPass();
    }

    [Fact]
    public void a_redelivered_mention_maps_to_the_same_interaction_and_reply_and_other_messages_to_others()
    {
        var message = Guid.Parse("0197a5c4-1b2e-7d3f-8a4b-5c6d7e8f9e01");
        var other = Guid.Parse("0197a5c4-1b2e-7d3f-8a4b-5c6d7e8f9e02");

        Assert.Equal(AssistantIds.InteractionFor(message), AssistantIds.InteractionFor(Guid.Parse(message.ToString())));
        Assert.NotEqual(AssistantIds.InteractionFor(message), AssistantIds.InteractionFor(other));
        Assert.NotEqual(AssistantIds.InteractionFor(message), AssistantIds.ReplyFor(message));
    }
}
