using System.ComponentModel.DataAnnotations;

namespace EventStore.Api.Auth;

/// <summary>Section `Jwt`. With no `SigningKey` a development key is generated once and kept in `DevelopmentKeyFile`.</summary>
public sealed class JwtOptions
{
    public const string SectionName = "Jwt";

    /// <summary>HMAC-SHA256 key, at least 32 bytes of UTF-8 (or base64 prefixed with `base64:`). From configuration only.</summary>
    public string? SigningKey { get; set; }

    [Required]
    public string Issuer { get; set; } = "eventstore";

    [Required]
    public string Audience { get; set; } = "eventstore";

    /// <summary>Access tokens are short-lived: a client keeps its session going with the refresh token.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a session (its refresh token, rotated on every use) lasts from login at most.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "90.00:00:00")]
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Tolerance for clocks that disagree, far below the 5-minute framework default.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:02:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    public string DevelopmentKeyFile { get; set; } = Path.Combine(".data", "jwt-development.key");
}
