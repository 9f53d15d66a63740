using System.Net;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace EventStore.Api.Search.Elasticsearch;

/// <summary>
/// Resilience for every Elasticsearch request, outermost first: retry (exponential backoff with jitter) on network
/// errors, timeouts, 429 and 5xx; then a per-attempt timeout. A 4xx other than 429 is an answer, not a failure.
/// </summary>
public sealed class ElasticsearchPipeline
{
    public ElasticsearchPipeline(IOptions<ElasticsearchOptions> options, ILogger<ElasticsearchPipeline> logger)
    {
        var o = options.Value;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (o.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = o.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = o.RetryBaseDelay,
                MaxDelay = o.MaxRetryDelay,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                OnRetry = args =>
                {
                    logger.LogWarning("Elasticsearch attempt {Attempt} failed ({Outcome}); retrying in {Delay}",
                        args.AttemptNumber + 1,
                        args.Outcome.Exception?.GetType().Name ?? $"HTTP {(int)args.Outcome.Result!.StatusCode}", args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        builder.AddTimeout(o.RequestTimeout);
        Pipeline = builder.Build();
    }

    public ResiliencePipeline<HttpResponseMessage> Pipeline { get; }

    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500,
        _ => false,
    };
}
