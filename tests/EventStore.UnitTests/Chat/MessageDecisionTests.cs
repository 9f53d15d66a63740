using EventStore.Domain;
using EventStore.Domain.Chat;
using EventStore.Domain.Chat.Messages;
using EventStore.Domain.Chat.Reading;
using static EventStore.UnitTests.Chat.ChatHistory;
using static EventStore.UnitTests.PersonalDataFixture;

namespace EventStore.UnitTests.Chat;

public sealed class MessageDecisionTests
{
    [Fact]
    public void a_member_posts_trimmed_text_with_the_resolved_mentions_and_the_assistant_flag()
    {
        var posted = PostMessageHandler.Decide(RoomOf(RoomVisibility.Private), new PostMessage(MessageId, RoomId, Member, "  hi @Owner, @assistant help "),
            [Owner], SealerFor(Member), Now);

        Assert.Equal("hi @Owner, @assistant help", Open(posted.Text));
        Assert.Equal(Member, posted.Text.Subject); // sealed under the author's key
        Assert.Equal([Owner], posted.MentionedUserIds);
        Assert.True(posted.MentionsAssistant);
        Assert.Equal((MessageId, RoomId, Member, Now, (Guid?)null), (posted.MessageId, posted.RoomId, posted.AuthorId, posted.PostedAt, posted.InteractionId));
    }

    [Fact]
    public void a_stranger_cannot_post_in_a_private_room_and_learns_nothing() =>
        Assert.Throws<NotFoundException>(() =>
            PostMessageHandler.Decide(RoomOf(RoomVisibility.Private), new PostMessage(MessageId, RoomId, Stranger, "hi"), [], SealerFor(Stranger), Now));

    [Fact]
    public void a_non_member_of_a_public_room_must_join_before_posting() =>
        Assert.Throws<ForbiddenException>(() =>
            PostMessageHandler.Decide(RoomOf(RoomVisibility.Public), new PostMessage(MessageId, RoomId, Stranger, "hi"), [], SealerFor(Stranger), Now));

    [Fact]
    public void the_author_edits_and_an_unchanged_text_is_no_edit()
    {
        var room = RoomOf(RoomVisibility.Public);
        var edited = EditMessageHandler.Decide(MessageBy(Member), room, new EditMessage(MessageId, Member, " hello again "), [],
            OpenerFor(Member), SealerFor(Member), Now).ToList();

        var e = Assert.IsType<MessageEdited>(Assert.Single(edited));
        Assert.Equal(("hello again", Member, Member, Now), (Open(e.Text), e.Text.Subject, e.EditedBy, e.EditedAt));
        Assert.Empty(EditMessageHandler.Decide(MessageBy(Member), room, new EditMessage(MessageId, Member, "hello "), [],
            OpenerFor(Member), SealerFor(Member), Now));
    }

    [Fact]
    public void only_the_author_edits_even_the_owner_cannot() =>
        Assert.Throws<ForbiddenException>(() => EditMessageHandler.Decide(MessageBy(Member), RoomOf(RoomVisibility.Public),
            new EditMessage(MessageId, Owner, "mine now"), [], OpenerFor(Member), SealerFor(Owner), Now).ToList());

    [Fact]
    public void a_deleted_message_cannot_be_edited() =>
        Assert.Throws<ConflictException>(() => EditMessageHandler.Decide(
            MessageBy(Member, new MessageDeleted(MessageId, RoomId, Member, Now)), RoomOf(RoomVisibility.Public),
            new EditMessage(MessageId, Member, "back"), [], OpenerFor(Member), SealerFor(Member), Now).ToList());

    [Fact]
    public void editing_a_missing_message_is_not_found() =>
        Assert.Throws<NotFoundException>(() =>
            EditMessageHandler.Decide(null, null, new EditMessage(MessageId, Member, "x"), [], OpenerFor(Member), SealerFor(Member), Now).ToList());

    [Theory]
    [InlineData("member", false)]
    [InlineData("owner", false)]
    [InlineData("stranger", true)]
    public void the_author_the_owner_and_admins_delete(string actor, bool admin)
    {
        var id = actor switch { "member" => Member, "owner" => Owner, _ => Stranger };

        var events = DeleteMessageHandler.Decide(MessageBy(Member), RoomOf(RoomVisibility.Private), new DeleteMessage(MessageId, id, admin), Now);

        Assert.Equal([new MessageDeleted(MessageId, RoomId, id, Now)], events);
    }

    [Fact]
    public void another_member_cannot_delete_and_deleting_twice_changes_nothing()
    {
        var room = RoomOf(RoomVisibility.Public, new Domain.Chat.RoomMemberJoined(RoomId, Stranger, CreatedAt));
        Assert.Throws<ForbiddenException>(() =>
            DeleteMessageHandler.Decide(MessageBy(Member), room, new DeleteMessage(MessageId, Stranger, false), Now).ToList());
        Assert.Empty(DeleteMessageHandler.Decide(MessageBy(Member, new MessageDeleted(MessageId, RoomId, Member, Now)), room,
            new DeleteMessage(MessageId, Member, false), Now));
    }

    [Fact]
    public void deletion_empties_the_write_models_text()
    {
        var message = MessageBy(Member, new MessageDeleted(MessageId, RoomId, Owner, Now));
        Assert.True(message.Deleted);
        Assert.Null(message.Text);
    }

    [Fact]
    public void a_read_marker_only_moves_forward_and_only_to_a_message_of_the_room()
    {
        var room = RoomOf(RoomVisibility.Public);
        var message = MessageBy(Owner);
        var command = new MarkRead(RoomId, Member, MessageId);

        var first = MarkReadHandler.Decide(room, message, null, command, Now).ToList();
        var marker = new ReadMarker();
        marker.Apply((RoomMessagesRead)first.Single());

        Assert.Equal([new RoomMessagesRead(RoomId, Member, MessageId, message.PostedAt, Now)], first);
        Assert.Empty(MarkReadHandler.Decide(room, message, marker, command, Now));
        var elsewhere = MessageBy(Owner);
        elsewhere.RoomId = Guid.NewGuid();
        Assert.Throws<NotFoundException>(() => MarkReadHandler.Decide(room, elsewhere, null, command, Now).ToList());
        Assert.Throws<ForbiddenException>(() => MarkReadHandler.Decide(room, message, null, command with { UserId = Stranger }, Now).ToList());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void blank_text_is_rejected(string text)
    {
        new PostMessage.Validator().Validate(new PostMessage(MessageId, RoomId, Member, text)).ShouldFailOn("Text");
        new EditMessage.Validator().Validate(new EditMessage(MessageId, Member, text)).ShouldFailOn("Text");
    }

    [Fact]
    public void text_up_to_the_limit_passes_and_longer_is_rejected()
    {
        var validator = new PostMessage.Validator();
        validator.Validate(new PostMessage(MessageId, RoomId, Member, new string('x', MessageText.MaxLength))).ShouldPass();
        validator.Validate(new PostMessage(MessageId, RoomId, Member, new string('x', MessageText.MaxLength + 1)))
            .ShouldFailWith("Text", "MaximumLengthValidator");
    }
}
