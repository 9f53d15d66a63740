using Marten;

namespace EventStore.Domain.Users.Sessions;

/// <summary>Trades a refresh token for a new one (rotation). <see cref="RefreshToken"/> is what the client sent.</summary>
public sealed record RefreshSession(RefreshToken Token)
{
    public override string ToString() => $"RefreshSession {{ SessionId = {Token.SessionId} }}"; // never the secret
}

/// <summary>Rotated: the new refresh token; or refused, with the reason (the session may have been revoked for it).</summary>
public sealed record RefreshOutcome(UserSession? Session, RefreshToken? Token, string? Refusal);

public static class RefreshSessionHandler
{
    /// <summary>
    /// The session document is versioned (optimistic concurrency): two concurrent uses of one refresh token cannot
    /// both rotate it; the loser is retried on fresh state, finds its token among the rotated ones, and that is reuse.
    /// A refusal for reuse still commits (the revocation), so it is a result, not an exception.
    /// </summary>
    public static async Task<RefreshOutcome> Handle(RefreshSession command, IDocumentSession session, TimeProvider clock,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var current = await session.LoadAsync<UserSession>(command.Token.SessionId, ct);
        if (current is null || !current.IsLive(now))
        {
            return new RefreshOutcome(null, null, "The session has ended; log in again.");
        }

        var hash = command.Token.Hash();
        if (current.RotatedHashes.Contains(hash))
        {
            // Someone replayed a refresh token that was already exchanged: the token leaked. End the whole session, so
            // neither the thief nor the owner can go on with it (the owner logs in again).
            current.Revoke("refresh token reuse", now);
            session.Store(current);
            return new RefreshOutcome(null, null, "This refresh token was already used: the session is revoked; log in again.");
        }

        if (!string.Equals(current.RefreshHash, hash, StringComparison.Ordinal))
        {
            return new RefreshOutcome(null, null, "The refresh token is not valid.");
        }

        var next = RefreshToken.New(current.Id);
        current.RotatedHashes.Add(current.RefreshHash);
        if (current.RotatedHashes.Count > UserSession.RotatedHashesKept)
        {
            current.RotatedHashes.RemoveAt(0);
        }

        current.RefreshHash = next.Hash();
        current.RefreshedAt = now;
        session.Store(current);
        return new RefreshOutcome(current, next, null);
    }
}
