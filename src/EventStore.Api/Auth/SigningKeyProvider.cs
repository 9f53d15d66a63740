using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace EventStore.Api.Auth;

/// <summary>The JWT signing key: from `Jwt:SigningKey`, or a development key generated once and persisted locally.</summary>
public sealed class SigningKeyProvider
{
    private const int MinimumKeyBytes = 32;

    public SigningKeyProvider(IOptions<JwtOptions> options, ILogger<SigningKeyProvider> logger)
    {
        Key = new SymmetricSecurityKey(LoadKeyBytes(options.Value, logger));
    }

    public SymmetricSecurityKey Key { get; }

    private static byte[] LoadKeyBytes(JwtOptions options, ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(options.SigningKey))
        {
            var configured = options.SigningKey.StartsWith("base64:", StringComparison.Ordinal)
                ? Convert.FromBase64String(options.SigningKey["base64:".Length..])
                : Encoding.UTF8.GetBytes(options.SigningKey);
            if (configured.Length < MinimumKeyBytes)
            {
                throw new OptionsValidationException(JwtOptions.SectionName, typeof(JwtOptions),
                    [$"Jwt:SigningKey must be at least {MinimumKeyBytes} bytes; generate one with `openssl rand -base64 48` and set it as base64:<value>."]);
            }

            return configured;
        }

        var path = Path.GetFullPath(options.DevelopmentKeyFile);
        if (File.Exists(path))
        {
            logger.LogWarning("Jwt:SigningKey is not configured: using the development signing key in {Path}. Configure a real key outside development.", path);
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }

        var key = RandomNumberGenerator.GetBytes(64);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, Convert.ToBase64String(key));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        logger.LogWarning("Jwt:SigningKey is not configured: generated a development signing key in {Path}. Configure a real key outside development.", path);
        return key;
    }
}
