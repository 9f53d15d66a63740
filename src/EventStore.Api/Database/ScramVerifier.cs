using System.Security.Cryptography;
using System.Text;

namespace EventStore.Api.Database;

/// <summary>
/// A SCRAM-SHA-256 verifier, as PostgreSQL stores it (RFC 5802/7677, 4096 iterations like libpq's). `ALTER ROLE ... PASSWORD`
/// with a verifier instead of the password keeps the password out of the statement text, so statement logging on the
/// server (log_statement = ddl) never records it.
/// </summary>
internal static class ScramVerifier
{
    private const int Iterations = 4096;

    /// <summary>
    /// False for a password PostgreSQL would SASLprep-normalise (anything outside printable ASCII): for those the
    /// verifier computed here could differ from the server's, so the caller must send the password itself.
    /// </summary>
    public static bool CanVerify(string password) => password.All(c => c is >= ' ' and <= '~');

    public static string Create(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, 32);
        var storedKey = SHA256.HashData(HMACSHA256.HashData(salted, "Client Key"u8));
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        return $"SCRAM-SHA-256${Iterations}:{Convert.ToBase64String(salt)}${Convert.ToBase64String(storedKey)}:{Convert.ToBase64String(serverKey)}";
    }

    /// <summary>What goes after PASSWORD: the verifier when it can be computed here, else the password.</summary>
    public static string ForAlterRole(string password) => CanVerify(password) ? Create(password) : password;
}
