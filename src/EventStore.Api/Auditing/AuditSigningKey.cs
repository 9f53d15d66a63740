using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace EventStore.Api.Auditing;

/// <summary>The checkpoint signing key: `Audit:SigningKeyPem`, or a development key generated once and persisted locally.</summary>
public sealed class AuditSigningKey : IDisposable
{
    public AuditSigningKey(IOptions<AuditOptions> options, ILogger<AuditSigningKey> logger)
    {
        Key = Load(options.Value, logger);
        if (Key.KeySize != 256)
        {
            throw new OptionsValidationException(AuditOptions.SectionName, typeof(AuditOptions),
                ["Audit:SigningKeyPem must be an ECDSA P-256 key; generate one with `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256`."]);
        }

        PublicKeyPem = Key.ExportSubjectPublicKeyInfoPem();
    }

    public ECDsa Key { get; }

    /// <summary>What auditors verify checkpoints with (`GET /audit/public-key`).</summary>
    public string PublicKeyPem { get; }

    public void Dispose() => Key.Dispose();

    private static ECDsa Load(AuditOptions options, ILogger logger)
    {
        var key = ECDsa.Create();
        if (!string.IsNullOrWhiteSpace(options.SigningKeyPem))
        {
            try
            {
                key.ImportFromPem(options.SigningKeyPem);
                return key;
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                throw new OptionsValidationException(AuditOptions.SectionName, typeof(AuditOptions),
                    [$"Audit:SigningKeyPem is not a PEM ECDSA private key: {e.Message}"]);
            }
        }

        var path = Path.GetFullPath(options.DevelopmentKeyFile);
        if (File.Exists(path))
        {
            logger.LogWarning("Audit:SigningKeyPem is not configured: signing checkpoints with the development key in {Path}. Configure a real key outside development.", path);
            key.ImportFromPem(File.ReadAllText(path));
            return key;
        }

        key.GenerateKey(ECCurve.NamedCurves.nistP256);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        logger.LogWarning("Audit:SigningKeyPem is not configured: generated a development checkpoint key in {Path}. Configure a real key outside development.", path);
        return key;
    }
}
