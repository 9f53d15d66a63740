using EventStore.Domain.Chat;

namespace EventStore.UnitTests.Chat;

/// <summary>Scenario helper: rooms and messages as events, replayed through the write models' own Apply methods.</summary>
internal static class ChatHistory
{
    public static readonly Guid RoomId = Guid.Parse("0197a5c4-1b2e-7d3f-8a4b-5c6d7e8f9b01");
    public static readonly Guid MessageId = Guid.Parse("0197a5c4-1b2e-7d3f-8a4b-5c6d7e8f9b02");
    public static readonly Guid Owner = Guid.Parse("0197a5c4-1b2e-7d3f-8a4b-5c6d7e8f9c01");
    public static readonly Guid Member = Guid.Parse("0197a5c4-1b2e-7d3f-8a4b-5c6d7e8f9c02");
    public static readonly Guid Stranger = Guid.Parse("0197a5c4-1b2e-7d3f-8a4b-5c6d7e8f9c03");
    public static readonly DateTimeOffset CreatedAt = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    public static TimeProvider Clock { get; } = new FixedClock(Now);

    /// <summary>A room of the owner and one member.</summary>
    public static Room RoomOf(RoomVisibility visibility, params object[] since) => ReplayRoom([
        new RoomCreated(RoomId, PersonalDataFixture.Seal(Owner, "Desk"), visibility, Owner, CreatedAt),
        new RoomMemberJoined(RoomId, Owner, CreatedAt),
        new RoomMemberInvited(RoomId, Member, Owner, CreatedAt),
        .. since]);

    public static Room DirectRoom() => ReplayRoom([new DirectRoomOpened(RoomId, Owner, Member, CreatedAt)]);

    public static Room ReplayRoom(IEnumerable<object> events)
    {
        var room = new Room();
        foreach (var e in events)
        {
            switch (e)
            {
                case RoomCreated x: room.Apply(x); break;
                case DirectRoomOpened x: room.Apply(x); break;
                case RoomMemberJoined x: room.Apply(x); break;
                case RoomMemberInvited x: room.Apply(x); break;
                case RoomMemberLeft x: room.Apply(x); break;
                case RoomMemberRemoved x: room.Apply(x); break;
                default: throw new ArgumentException($"Not a room event: {e.GetType().Name}", nameof(events));
            }
        }

        return room;
    }

    /// <summary>A message by <paramref name="author"/> in the room, then whatever happened to it.</summary>
    public static Message MessageBy(Guid author, params object[] since)
    {
        var message = new Message();
        message.Apply(new MessagePosted(MessageId, RoomId, author, PersonalDataFixture.Seal(author, "hello"), [], false, null, CreatedAt.AddHours(1)));
        foreach (var e in since)
        {
            switch (e)
            {
                case MessageEdited x: message.Apply(x); break;
                case MessageDeleted x: message.Apply(x); break;
                default: throw new ArgumentException($"Not a message event: {e.GetType().Name}", nameof(since));
            }
        }

        return message;
    }
}
