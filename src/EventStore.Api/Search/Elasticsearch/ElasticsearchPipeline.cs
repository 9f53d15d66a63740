using Elastic.Transport;
using Polly;
using Polly.Retry;

namespace EventStore.Api.Search.Elasticsearch;

/// <summary>
/// The one resilience pipeline for Elasticsearch, registered once under <see cref="Name"/> and wrapped around every call
/// of the official client (<see cref="ElasticsearchIndexClient"/>): retry with exponential backoff and jitter when the
/// answer is a network error, a timeout, 429 or 5xx. The transport's own retry does not cover this: with one node it
/// makes a single attempt (it fails over between nodes, it does not back off on 429), so it is left to this pipeline.
/// The per-attempt timeout is the transport's request timeout (<see cref="ElasticsearchOptions.RequestTimeout"/>).
/// </summary>
public static class ElasticsearchPipeline
{
    public const string Name = "elasticsearch";

    public static ResiliencePipeline Build(ElasticsearchOptions options, TimeProvider time, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxRetryDelay,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is TransportResponse response && IsTransient(response)),
                OnRetry = args =>
                {
                    logger.LogWarning("Elasticsearch attempt {Attempt} failed ({Outcome}); retrying in {Delay}",
                        args.AttemptNumber + 1, Describe((TransportResponse)args.Outcome.Result!), args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder.Build();
    }

    /// <summary>
    /// Worth another attempt: no HTTP answer at all (unreachable, reset, timed out), 429 or a 5xx. Any other refusal
    /// is an answer: sending it again would get the same one.
    /// </summary>
    public static bool IsTransient(TransportResponse response) =>
        response.ApiCallDetails.HttpStatusCode is null or 429 or >= 500;

    public static string Describe(TransportResponse response) =>
        response.ApiCallDetails.HttpStatusCode is { } status
            ? $"HTTP {status}"
            : response.ApiCallDetails.OriginalException?.GetType().Name ?? "no answer";
}
