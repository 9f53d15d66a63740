using Marten;
using Wolverine.Marten;

namespace EventStore.Domain.Users.Sessions;

/// <summary>`logoutEverywhere`: ends every session of the user; every token they hold is refused from the next request.</summary>
public sealed record LogOutEverywhere(Guid UserId);

public static class LogOutEverywhereHandler
{
    public static void Before(User? user) => UserGuards.MustExist(user);

    [AggregateHandler]
    public static async Task<IEnumerable<object>> Handle(LogOutEverywhere command, User user, IDocumentSession session,
        TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await EndSessionHandler.RevokeAllAsync(session, user.Id, keep: null, "logout everywhere", now, ct);
        return [new UserSessionsRevoked(user.Id, command.UserId, now)];
    }
}
