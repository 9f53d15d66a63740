using System.ComponentModel.DataAnnotations;
using EventStore.Api.Resilience;

namespace EventStore.Api.Notifications;

/// <summary>Section <c>Notifications:Email</c>: a SendGrid-style HTTP API (v3 mail/send). Off until BaseUrl and ApiKey are set.</summary>
public sealed class EmailChannelOptions
{
    public const string SectionName = "Notifications:Email";

    public Uri? BaseUrl { get; set; }
    public string? ApiKey { get; set; }

    [Required(AllowEmptyStrings = false), EmailAddress]
    public string From { get; set; } = "notifications@localhost.localdomain";

    public bool Configured => BaseUrl is not null && !string.IsNullOrWhiteSpace(ApiKey);
}

/// <summary>Section <c>Notifications:Sms</c>: a Twilio-style HTTP API (Messages.json). Off until BaseUrl, AccountSid, AuthToken and From are set.</summary>
public sealed class SmsChannelOptions
{
    public const string SectionName = "Notifications:Sms";

    public Uri? BaseUrl { get; set; }
    public string? AccountSid { get; set; }
    public string? AuthToken { get; set; }
    public string? From { get; set; }

    public bool Configured => BaseUrl is not null && !string.IsNullOrWhiteSpace(AccountSid) && !string.IsNullOrWhiteSpace(AuthToken)
        && !string.IsNullOrWhiteSpace(From);
}

/// <summary>Section <c>Notifications:Resilience</c>: the Polly pipeline in front of each provider.</summary>
public sealed class DeliveryResilienceOptions : IHttpDependencyPolicy
{
    public const string SectionName = "Notifications:Resilience";

    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    [Range(typeof(TimeSpan), "00:00:00.100", "00:02:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    // Fixed, not settings: half of at least ten attempts within 30 s opens a provider's circuit.
    double IHttpDependencyPolicy.FailureRatio => 0.5;

    int IHttpDependencyPolicy.MinimumThroughput => 10;

    TimeSpan IHttpDependencyPolicy.SamplingDuration => TimeSpan.FromSeconds(30);
}
