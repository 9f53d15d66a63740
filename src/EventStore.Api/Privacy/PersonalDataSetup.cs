using System.Security.Cryptography;
using EventStore.Domain.Privacy;

namespace EventStore.Api.Privacy;

/// <summary>`PersonalData:*`: the key-encryption key that wraps every user's personal-data key.</summary>
public sealed class PersonalDataOptions
{
    public const string SectionName = "PersonalData";

    /// <summary>`base64:&lt;32 bytes&gt;`. Unset: a development key generated once in <see cref="DevelopmentKeyFile"/>.</summary>
    public string? KeyEncryptionKey { get; set; }

    public string DevelopmentKeyFile { get; set; } = ".data/personal-data-development.key";
}

public static class PersonalDataSetup
{
    private const string Base64Prefix = "base64:";

    public static WebApplicationBuilder AddPersonalData(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<PersonalDataOptions>(builder.Configuration.GetSection(PersonalDataOptions.SectionName));
        builder.Services.AddSingleton(sp => new PersonalDataProtector(LoadKey(
            builder.Configuration.GetSection(PersonalDataOptions.SectionName).Get<PersonalDataOptions>() ?? new PersonalDataOptions(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("EventStore.PersonalData"))));
        builder.Services.AddSingleton<PersonalDataReveal>();
        return builder;
    }

    /// <summary>The configured key, checked so that a wrong setting stops the app with a message naming it.</summary>
    public static byte[] LoadKey(PersonalDataOptions options, ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(options.KeyEncryptionKey))
        {
            var text = options.KeyEncryptionKey.Trim();
            byte[]? key = null;
            if (text.StartsWith(Base64Prefix, StringComparison.Ordinal))
            {
                try
                {
                    key = Convert.FromBase64String(text[Base64Prefix.Length..]);
                }
                catch (FormatException)
                {
                }
            }

            return key is { Length: PersonalDataProtector.KeyBytes }
                ? key
                : throw new Microsoft.Extensions.Options.OptionsValidationException(PersonalDataOptions.SectionName, typeof(PersonalDataOptions), [
                    $"PersonalData:KeyEncryptionKey must be base64:<{PersonalDataProtector.KeyBytes} random bytes>; generate one with "
                    + "`openssl rand -base64 32` and set it as base64:<value>."]);
        }

        var path = Path.GetFullPath(options.DevelopmentKeyFile);
        if (File.Exists(path))
        {
            logger.LogWarning("PersonalData:KeyEncryptionKey is not configured: using the development key in {Path}. Configure a real key outside development.", path);
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }

        var generated = RandomNumberGenerator.GetBytes(PersonalDataProtector.KeyBytes);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, Convert.ToBase64String(generated));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        logger.LogWarning("PersonalData:KeyEncryptionKey is not configured: generated a development key in {Path}. Configure a real key outside development.", path);
        return generated;
    }
}
