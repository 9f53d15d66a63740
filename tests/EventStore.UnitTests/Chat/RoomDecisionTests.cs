using EventStore.Domain;
using EventStore.Domain.Chat;
using EventStore.Domain.Chat.Membership;
using EventStore.Domain.Chat.Rooms;
using static EventStore.UnitTests.Chat.ChatHistory;

namespace EventStore.UnitTests.Chat;

public sealed class RoomDecisionTests
{
    [Fact]
    public void creating_a_room_records_it_sealing_its_trimmed_name_and_its_owner_as_first_member()
    {
        var events = CreateRoomHandler.Decide(new CreateRoom(RoomId, "  Desk ", RoomVisibility.Private, Owner),
            PersonalDataFixture.SealerFor(Owner), Now);

        var created = Assert.IsType<RoomCreated>(events[0]);
        Assert.Equal((RoomId, RoomVisibility.Private, Owner, Now, Owner), (created.RoomId, created.Visibility, created.OwnerId, created.CreatedAt,
            created.Name.Subject));
        Assert.Equal("Desk", PersonalDataFixture.Open(created.Name));
        Assert.Equal(new RoomMemberJoined(RoomId, Owner, Now), events[1]);
    }

    [Fact]
    public void anyone_joins_a_public_room_once()
    {
        var room = RoomOf(RoomVisibility.Public);
        JoinRoomHandler.Before(new JoinRoom(RoomId, Stranger), room);

        Assert.Equal([new RoomMemberJoined(RoomId, Stranger, Now)], JoinRoomHandler.Handle(new JoinRoom(RoomId, Stranger), room, Clock));
        Assert.Empty(JoinRoomHandler.Handle(new JoinRoom(RoomId, Member), room, Clock));
    }

    [Theory]
    [InlineData(RoomVisibility.Private)]
    [InlineData(RoomVisibility.Direct)]
    public void a_stranger_cannot_join_a_private_or_direct_room_and_learns_nothing(RoomVisibility visibility) =>
        Assert.Throws<NotFoundException>(() => JoinRoomHandler.Before(new JoinRoom(RoomId, Stranger),
            visibility == RoomVisibility.Direct ? DirectRoom() : RoomOf(visibility)));

    [Fact]
    public void joining_a_missing_room_is_not_found() =>
        Assert.Throws<NotFoundException>(() => JoinRoomHandler.Before(new JoinRoom(RoomId, Member), null));

    [Fact]
    public void a_member_invites_into_a_private_room_and_the_invitee_is_a_member()
    {
        var events = InviteToRoomHandler.Decide(RoomOf(RoomVisibility.Private), new InviteToRoom(RoomId, Stranger, Member), Now).ToList();

        Assert.Equal([new RoomMemberInvited(RoomId, Stranger, Member, Now)], events);
        Assert.True(ReplayRoom([new RoomCreated(RoomId, PersonalDataFixture.Seal(Owner, "Desk"), RoomVisibility.Private, Owner, CreatedAt), .. events])
            .IsMember(Stranger));
    }

    [Fact]
    public void a_stranger_cannot_invite_into_a_private_room() =>
        Assert.Throws<NotFoundException>(() =>
            InviteToRoomHandler.Decide(RoomOf(RoomVisibility.Private), new InviteToRoom(RoomId, Stranger, Stranger), Now).ToList());

    [Fact]
    public void a_non_member_of_a_public_room_is_told_to_join_before_inviting() =>
        Assert.Throws<ForbiddenException>(() =>
            InviteToRoomHandler.Decide(RoomOf(RoomVisibility.Public), new InviteToRoom(RoomId, Member, Stranger), Now).ToList());

    [Fact]
    public void nobody_is_invited_into_a_direct_room() =>
        Assert.Throws<ConflictException>(() => InviteToRoomHandler.Decide(DirectRoom(), new InviteToRoom(RoomId, Stranger, Owner), Now).ToList());

    [Fact]
    public void a_member_leaves_and_leaving_again_changes_nothing()
    {
        var room = RoomOf(RoomVisibility.Public);
        Assert.Equal([new RoomMemberLeft(RoomId, Member, Now)], LeaveRoomHandler.Handle(new LeaveRoom(RoomId, Member), room, Clock));
        Assert.Empty(LeaveRoomHandler.Handle(new LeaveRoom(RoomId, Stranger), room, Clock));
    }

    [Fact]
    public void a_direct_room_cannot_be_left() =>
        Assert.Throws<ConflictException>(() => LeaveRoomHandler.Before(new LeaveRoom(RoomId, Member), DirectRoom()));

    [Fact]
    public void the_owner_and_admins_remove_members_but_other_members_cannot()
    {
        var room = RoomOf(RoomVisibility.Public, new RoomMemberJoined(RoomId, Stranger, CreatedAt));

        RemoveFromRoomHandler.Before(new RemoveFromRoom(RoomId, Member, Owner, false), room);
        RemoveFromRoomHandler.Before(new RemoveFromRoom(RoomId, Member, Stranger, true), room);
        Assert.Throws<ForbiddenException>(() => RemoveFromRoomHandler.Before(new RemoveFromRoom(RoomId, Owner, Member, false), room));
        Assert.Equal([new RoomMemberRemoved(RoomId, Member, Owner, Now)],
            RemoveFromRoomHandler.Handle(new RemoveFromRoom(RoomId, Member, Owner, false), room, Clock));
    }

    [Fact]
    public void a_stranger_trying_to_moderate_a_private_room_learns_nothing() =>
        Assert.Throws<NotFoundException>(() =>
            RemoveFromRoomHandler.Before(new RemoveFromRoom(RoomId, Member, Stranger, false), RoomOf(RoomVisibility.Private)));

    [Fact]
    public void opening_an_existing_direct_room_again_changes_nothing()
    {
        var command = new OpenDirectRoom(Owner, Member);
        var id = ChatIds.DirectRoom(Owner, Member);

        Assert.Equal([new DirectRoomOpened(id, Owner, Member, Now)], OpenDirectRoomHandler.Decide(null, command, id, Now));
        Assert.Empty(OpenDirectRoomHandler.Decide(DirectRoom(), command, id, Now));
        Assert.Equal(id, ChatIds.DirectRoom(Member, Owner));
    }

    [Fact]
    public void room_shapes_are_validated()
    {
        var validator = new CreateRoom.Validator();
        validator.Validate(new CreateRoom(RoomId, "Desk", RoomVisibility.Public, Owner)).ShouldPass();
        validator.Validate(new CreateRoom(RoomId, "   ", RoomVisibility.Public, Owner)).ShouldFailOn("Name");
        validator.Validate(new CreateRoom(RoomId, new string('n', ChatRules.RoomNameMaxLength + 1), RoomVisibility.Public, Owner))
            .ShouldFailWith("Name", "MaximumLengthValidator");
        validator.Validate(new CreateRoom(RoomId, "Desk", RoomVisibility.Direct, Owner)).ShouldFailOn("Visibility");
        validator.Validate(new CreateRoom(Guid.Empty, "Desk", RoomVisibility.Public, Guid.Empty)).ShouldFailOn("RoomId", "OwnerId");
    }

    [Fact]
    public void a_direct_room_needs_another_real_user()
    {
        var validator = new OpenDirectRoom.Validator();
        validator.Validate(new OpenDirectRoom(Owner, Member)).ShouldPass();
        validator.Validate(new OpenDirectRoom(Owner, Owner)).ShouldFailOn("OtherUserId");
        validator.Validate(new OpenDirectRoom(Owner, ChatIds.AssistantUserId)).ShouldFailOn("OtherUserId");
    }
}
