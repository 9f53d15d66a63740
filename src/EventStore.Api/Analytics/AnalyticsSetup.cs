using System.Security.Cryptography;
using EventStore.Projections.Analytics;
using Marten;
using Microsoft.Extensions.Options;

namespace EventStore.Api.Analytics;

public static class AnalyticsSetup
{
    private const string Base64Prefix = "base64:";

    /// <summary>The `analytics` schema's projections, the pseudonym key, the read-only role and the GraphQL reads.</summary>
    public static IServiceCollection AddAnalytics(this IServiceCollection services)
    {
        services.AddOptions<AnalyticsOptions>().BindConfiguration(AnalyticsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new AnalyticsPseudonyms(LoadKey(sp.GetRequiredService<IOptions<AnalyticsOptions>>().Value,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("EventStore.Analytics"))));
        services.ConfigureMarten((sp, options) => options.ConfigureAnalyticsProjections(sp.GetRequiredService<AnalyticsPseudonyms>()));
        services.AddHostedService<AnalystRoleSetup>();
        services.AddSingleton<AnalyticsReads>();
        return services;
    }

    /// <summary>The configured key, checked so that a wrong setting stops the app with a message naming it.</summary>
    public static byte[] LoadKey(AnalyticsOptions options, ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(options.PseudonymKey))
        {
            var text = options.PseudonymKey.Trim();
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

            return key is { Length: >= AnalyticsPseudonyms.KeyBytes }
                ? key
                : throw new OptionsValidationException(AnalyticsOptions.SectionName, typeof(AnalyticsOptions), [
                    $"Analytics:PseudonymKey must be base64:<at least {AnalyticsPseudonyms.KeyBytes} random bytes>; generate one with "
                    + "`openssl rand -base64 32` and set it as base64:<value>."]);
        }

        var path = Path.GetFullPath(options.DevelopmentKeyFile);
        if (File.Exists(path))
        {
            logger.LogWarning("Analytics:PseudonymKey is not configured: using the development key in {Path}.", path);
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }

        var generated = RandomNumberGenerator.GetBytes(AnalyticsPseudonyms.KeyBytes);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, Convert.ToBase64String(generated));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        logger.LogWarning("Analytics:PseudonymKey is not configured: generated a development key in {Path}.", path);
        return generated;
    }
}
