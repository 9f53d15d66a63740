using Marten;

namespace EventStore.Domain.Users.Sessions;

/// <summary>`logout`: ends the caller's own session (its refresh token and its access tokens stop working).</summary>
public sealed record EndSession(Guid SessionId, Guid UserId);

public static class EndSessionHandler
{
    public static async Task Handle(EndSession command, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var current = await session.LoadAsync<UserSession>(command.SessionId, ct);
        if (current is null || current.UserId != command.UserId || current.RevokedAt is not null)
        {
            return;
        }

        current.Revoke("logout", clock.GetUtcNow());
        session.Store(current);
    }

    /// <summary>Revokes every live session of the user, but <paramref name="keep"/>, in the caller's transaction.</summary>
    public static async Task RevokeAllAsync(IDocumentSession session, Guid userId, Guid? keep, string reason,
        DateTimeOffset now, CancellationToken ct)
    {
        var live = await session.Query<UserSession>()
            .Where(x => x.UserId == userId && x.RevokedAt == null)
            .ToListAsync(ct);
        foreach (var other in live.Where(x => x.Id != keep))
        {
            other.Revoke(reason, now);
            session.Store(other);
        }
    }
}
