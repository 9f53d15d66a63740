using System.ComponentModel.DataAnnotations;

namespace EventStore.Api.Analytics;

/// <summary>`Analytics:*`: the pseudonym key and the read-only database role for BI tools (docs/analytics.md).</summary>
public sealed class AnalyticsOptions : IValidatableObject
{
    public const string SectionName = "Analytics";

    /// <summary>
    /// `base64:&lt;at least 32 bytes&gt;`: the HMAC key of the trader, fill, room, message and request pseudonyms. Changing
    /// it changes every pseudonym (rebuild the TradingAnalytics, ChatAnalytics and AiUsageAnalytics projections after).
    /// Unset: a development key generated once in <see cref="DevelopmentKeyFile"/>.
    /// </summary>
    public string? PseudonymKey { get; set; }

    public string DevelopmentKeyFile { get; set; } = ".data/analytics-pseudonym-development.key";

    /// <summary>The read-only PostgreSQL role for analysts' SQL (created or updated at start-up when a password is set).</summary>
    public string ReaderRole { get; set; } = "eventstore_analyst";

    /// <summary>Password of <see cref="ReaderRole"/>. Unset: the app manages no role (use docs/analytics.md's script).</summary>
    public string? ReaderPassword { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(ReaderRole, "^[a-z_][a-z0-9_]{0,62}$"))
        {
            yield return new ValidationResult("Analytics:ReaderRole must be a lower-case PostgreSQL identifier (letters, digits, '_').",
                [nameof(ReaderRole)]);
        }

        if (!string.IsNullOrEmpty(ReaderPassword) && ReaderPassword.Length < 12)
        {
            yield return new ValidationResult("Analytics:ReaderPassword must be at least 12 characters.", [nameof(ReaderPassword)]);
        }
    }
}
