using System.Security.Cryptography;
using System.Text;

namespace EventStore.Domain.Users.Sessions;

/// <summary>
/// One signed-in session (one login on one device), a Marten document. Its refresh token rotates on every use: only
/// the hash of the current secret is accepted, the hashes of the ones it replaced are kept, and presenting one of
/// those again (a stolen, already-rotated token) revokes the whole session. Access tokens carry the session id, so a
/// revoked session's access tokens are refused too. Secrets are never stored, only their SHA-256 (they are 256-bit
/// random values, so a fast hash is enough).
/// </summary>
public sealed class UserSession
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public string RefreshHash { get; set; } = "";
    public List<string> RotatedHashes { get; set; } = [];
    public bool MfaVerified { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset RefreshedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedReason { get; set; }

    public bool IsLive(DateTimeOffset now) => RevokedAt is null && now < ExpiresAt;

    public void Revoke(string reason, DateTimeOffset now)
    {
        if (RevokedAt is null)
        {
            RevokedAt = now;
            RevokedReason = reason;
        }
    }

    /// <summary>At most this many rotated hashes are kept: enough to catch a replay of any recent token.</summary>
    public const int RotatedHashesKept = 50;
}

/// <summary>A refresh token: `&lt;session id&gt;.&lt;secret&gt;`. The secret is 32 random bytes, base64url.</summary>
public sealed record RefreshToken(Guid SessionId, string Secret)
{
    public override string ToString() => $"{SessionId:N}.{Secret}";

    public static RefreshToken New(Guid sessionId) =>
        new(sessionId, Base64Url(RandomNumberGenerator.GetBytes(32)));

    public static RefreshToken? Parse(string? text)
    {
        var dot = text?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        return dot > 0 && Guid.TryParseExact(text![..dot], "N", out var id) && text.Length - dot - 1 is >= 20 and <= 100
            ? new RefreshToken(id, text[(dot + 1)..])
            : null;
    }

    public string Hash() => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Secret)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
