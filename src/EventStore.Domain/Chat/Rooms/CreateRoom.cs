using EventStore.Domain.Validation;
using FluentValidation;
using Wolverine.Marten;

namespace EventStore.Domain.Chat.Rooms;

/// <summary>Creates a public or private room; the creator owns it and is its first member.</summary>
public sealed record CreateRoom(
    Guid RoomId, [SingleLine(ChatRules.RoomNameMaxLength)] string Name, RoomVisibility Visibility, Guid OwnerId)
{
    public sealed class Validator : AbstractValidator<CreateRoom>
    {
        public Validator()
        {
            RuleFor(x => x.RoomId).NotEmpty();
            RuleFor(x => x.OwnerId).NotEmpty();
            RuleFor(x => x.Name).Cascade(CascadeMode.Stop).NotEmpty().Must(n => n.Trim().Length > 0)
                .WithMessage("'{PropertyName}' must not be blank.").MaximumLength(ChatRules.RoomNameMaxLength);
            RuleFor(x => x.Visibility).Must(v => v is RoomVisibility.Public or RoomVisibility.Private)
                .WithMessage("'{PropertyName}' must be PUBLIC or PRIVATE; use openDirectRoom for a direct room.");
        }
    }
}

public static class CreateRoomHandler
{
    public static IStartStream Handle(CreateRoom command, TimeProvider clock) =>
        MartenOps.StartStream<Room>(command.RoomId, Decide(command, clock.GetUtcNow()));

    public static object[] Decide(CreateRoom command, DateTimeOffset now) =>
    [
        new RoomCreated(command.RoomId, command.Name.Trim(), command.Visibility, command.OwnerId, now),
        new RoomMemberJoined(command.RoomId, command.OwnerId, now),
    ];
}
