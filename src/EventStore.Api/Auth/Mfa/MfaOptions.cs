using EventStore.Domain.Users;
using Microsoft.Extensions.Options;

namespace EventStore.Api.Auth.Mfa;

/// <summary>Section `Auth:Mfa`.</summary>
public sealed class MfaOptions
{
    public const string SectionName = "Auth:Mfa";

    /// <summary>Comma-separated roles that must use a second factor; `none` turns the requirement off.</summary>
    public string RequiredRoles { get; set; } = "ADMIN,AUDITOR";

    /// <summary>The issuer shown in authenticator apps (the `otpauth://` URI).</summary>
    public string Issuer { get; set; } = "EventStore";

    /// <summary>How long a login challenge may be answered.</summary>
    public TimeSpan ChallengeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    public IReadOnlySet<string> Required =>
        string.Equals(RequiredRoles.Trim(), "none", StringComparison.OrdinalIgnoreCase)
            ? new HashSet<string>()
            : RequiredRoles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(r => r.ToLowerInvariant()).ToHashSet();

    public bool IsRequiredFor(IEnumerable<string> roles) => roles.Any(Required.Contains);
}

/// <summary>A wrong role name or challenge lifetime stops the app at start-up with a message naming the setting.</summary>
public sealed class MfaOptionsValidator : IValidateOptions<MfaOptions>
{
    public ValidateOptionsResult Validate(string? name, MfaOptions options)
    {
        var unknown = options.Required.Where(role => !Roles.IsKnown(role)).ToList();
        if (unknown.Count > 0)
        {
            return ValidateOptionsResult.Fail(
                $"Auth:Mfa:RequiredRoles: unknown role(s) {string.Join(", ", unknown)}; use a comma-separated list of "
                + $"{string.Join(", ", Roles.All.Select(r => r.ToUpperInvariant()))}, or none.");
        }

        return options.ChallengeLifetime < TimeSpan.FromMinutes(1) || options.ChallengeLifetime > TimeSpan.FromMinutes(30)
            ? ValidateOptionsResult.Fail("Auth:Mfa:ChallengeLifetime must be from 00:01:00 to 00:30:00.")
            : ValidateOptionsResult.Success;
    }
}
