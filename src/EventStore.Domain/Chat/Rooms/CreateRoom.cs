using EventStore.Domain.Privacy;
using EventStore.Domain.Validation;
using FluentValidation;
using Marten;
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
    public static async Task<IStartStream> Handle(CreateRoom command, IDocumentSession session, PersonalDataProtector protector,
        TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return MartenOps.StartStream<Room>(command.RoomId, Decide(command, await protector.SealerAsync(session, command.OwnerId, now, ct), now));
    }

    /// <summary>The name is the creator's own text: sealed under their key (<paramref name="personal"/>).</summary>
    public static object[] Decide(CreateRoom command, PersonalDataSealer personal, DateTimeOffset now) =>
    [
        new RoomCreated(command.RoomId, personal.Seal(command.Name.Trim()), command.Visibility, command.OwnerId, now),
        new RoomMemberJoined(command.RoomId, command.OwnerId, now),
    ];
}
