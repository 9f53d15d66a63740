using Wolverine.Marten;

namespace EventStore.Domain.Users.Sessions;

/// <summary>After a successful login (and second factor, when one is needed): a new session and its first refresh token.</summary>
public sealed record StartSession(Guid SessionId, Guid UserId, bool MfaVerified, DateTimeOffset ExpiresAt);

public static class StartSessionHandler
{
    public static (RefreshToken, IMartenOp) Handle(StartSession command, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var token = RefreshToken.New(command.SessionId);
        return (token, MartenOps.Insert(new UserSession
        {
            Id = command.SessionId,
            UserId = command.UserId,
            RefreshHash = token.Hash(),
            MfaVerified = command.MfaVerified,
            StartedAt = now,
            RefreshedAt = now,
            ExpiresAt = command.ExpiresAt,
        }));
    }
}
