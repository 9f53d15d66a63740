using System.ComponentModel.DataAnnotations;

namespace EventStore.Api.Search.Elasticsearch;

/// <summary>`Elasticsearch:*`. Unset <see cref="Url"/> means the PostgreSQL search backend (the default).</summary>
public sealed class ElasticsearchOptions : IValidatableObject
{
    public const string SectionName = "Elasticsearch";

    /// <summary>Base URL of the cluster (Elasticsearch 9 or newer), e.g. http://elasticsearch:9200.</summary>
    public string? Url { get; set; }

    /// <summary>
    /// The alias searches read (<see cref="ElasticsearchIndexNames"/>): the concrete indices behind it are named
    /// <c>&lt;Index&gt;-v&lt;mappings version&gt;-&lt;timestamp&gt;</c>, and the index template matches <c>&lt;Index&gt;-*</c>.
    /// </summary>
    public string Index { get; set; } = "eventstore-search";

    /// <summary>Sent as <c>Authorization: ApiKey &lt;value&gt;</c> when set (the base64 "id:key" form Elasticsearch issues).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Attempts after the first for a failed request (network error, timeout, 429, 5xx).</summary>
    [Range(0, 20)]
    public int MaxRetries { get; set; } = 4;

    /// <summary>First retry delay; doubles per attempt (with jitter), up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The timeout of each attempt (the client transport's request timeout).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool Enabled => !string.IsNullOrWhiteSpace(Url);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            yield return new ValidationResult("Elasticsearch:Url must be an absolute http(s) URL, e.g. http://localhost:9200.", [nameof(Url)]);
        }

        // Lower case as Elasticsearch requires; short enough that the concrete names (<Index>-v1-<17 digits>) stay under 255 bytes.
        if (!System.Text.RegularExpressions.Regex.IsMatch(Index, "^[a-z0-9][a-z0-9._-]{0,200}$"))
        {
            yield return new ValidationResult("Elasticsearch:Index must be lower-case letters, digits, '.', '_' or '-' (an Elasticsearch alias name).", [nameof(Index)]);
        }

        if (RetryBaseDelay <= TimeSpan.Zero || MaxRetryDelay < RetryBaseDelay || RequestTimeout <= TimeSpan.Zero)
        {
            yield return new ValidationResult("Elasticsearch:RetryBaseDelay, MaxRetryDelay and RequestTimeout must be positive, MaxRetryDelay >= RetryBaseDelay.",
                [nameof(RetryBaseDelay)]);
        }
    }
}
