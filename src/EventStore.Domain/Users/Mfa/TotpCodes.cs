using System.Security.Cryptography;
using System.Text;
using OtpNet;

namespace EventStore.Domain.Users.Mfa;

/// <summary>
/// TOTP (RFC 6238: SHA-1, 6 digits, 30 s, as every authenticator app expects) and recovery codes. The time is always
/// an input (the handlers' TimeProvider), never read here.
/// </summary>
public static class TotpCodes
{
    public const int SecretBytes = 20;
    public const int RecoveryCodeCount = 10;

    public static string NewSecret() => Base32Encoding.ToString(RandomNumberGenerator.GetBytes(SecretBytes));

    public static string OtpAuthUri(string issuer, string account, string secret) =>
        $"otpauth://totp/{Uri.EscapeDataString(issuer)}:{Uri.EscapeDataString(account)}?secret={secret}"
        + $"&issuer={Uri.EscapeDataString(issuer)}&algorithm=SHA1&digits=6&period=30";

    /// <summary>The time step the code matches (one step of drift either way), or null.</summary>
    public static long? Match(string secret, string code, DateTimeOffset now)
    {
        var trimmed = code.Trim();
        if (trimmed.Length != 6 || !trimmed.All(char.IsAsciiDigit))
        {
            return null;
        }

        var totp = new Totp(Base32Encoding.ToBytes(secret));
        return totp.VerifyTotp(now.UtcDateTime, trimmed, out var step, new VerificationWindow(previous: 1, future: 1))
            ? step
            : null;
    }

    /// <summary>For tests and documentation: the code an authenticator shows at <paramref name="now"/>.</summary>
    public static string CodeAt(string secret, DateTimeOffset now) =>
        new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(now.UtcDateTime);

    /// <summary>Ten codes of 16 base32 characters (80 bits), shown once as `XXXX-XXXX-XXXX-XXXX`.</summary>
    public static IReadOnlyList<string> NewRecoveryCodes() =>
        Enumerable.Range(0, RecoveryCodeCount)
            .Select(_ => string.Join('-', Base32Encoding.ToString(RandomNumberGenerator.GetBytes(10)).Chunk(4).Select(c => new string(c))))
            .ToList();

    public static string HashRecoveryCode(string code) =>
        Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(NormalizeRecoveryCode(code))));

    public static bool LooksLikeRecoveryCode(string code) => NormalizeRecoveryCode(code).Length == 16;

    private static string NormalizeRecoveryCode(string code) =>
        new(code.Where(char.IsAsciiLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
}
