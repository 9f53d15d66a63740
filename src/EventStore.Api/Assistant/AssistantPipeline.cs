using EventStore.Api.MarketData;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace EventStore.Api.Assistant;

/// <summary>
/// The resilience pipeline in front of the chat-completions API, outermost first: retry (exponential backoff with
/// jitter, or the server's <c>Retry-After</c> on 429/503), circuit breaker (counts every attempt), per-attempt timeout.
/// The same policy as market data (<see cref="MarketDataPipeline"/>, whose transient-failure and Retry-After rules it
/// shares), with its own settings and its own circuit. One instance per process: the circuit's state is shared.
/// </summary>
public sealed class AssistantPipeline
{
    public AssistantPipeline(IOptions<OpenAIOptions> options, TimeProvider time, ILogger<AssistantPipeline> logger)
    {
        var o = options.Value;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
        if (o.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = o.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = o.BaseDelay,
                ShouldHandle = args => ValueTask.FromResult(MarketDataPipeline.IsTransient(args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } response
                    ? MarketDataPipeline.RetryAfter(response, time.GetUtcNow(), o.MaxRetryAfter)
                    : null),
                OnRetry = args =>
                {
                    logger.LogWarning("Assistant provider attempt {Attempt} failed ({Outcome}); retrying in {Delay}",
                        args.AttemptNumber + 1, Describe(args.Outcome), args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            ManualControl = Circuit,
            FailureRatio = o.FailureRatio,
            MinimumThroughput = o.MinimumThroughput,
            SamplingDuration = o.SamplingDuration,
            BreakDuration = o.BreakDuration,
            ShouldHandle = args => ValueTask.FromResult(MarketDataPipeline.IsTransient(args.Outcome)),
            OnOpened = args =>
            {
                logger.LogWarning("Assistant provider circuit opened for {BreakDuration} after {Outcome}", args.BreakDuration,
                    Describe(args.Outcome));
                return ValueTask.CompletedTask;
            },
        });
        builder.AddTimeout(o.AttemptTimeout);
        Pipeline = builder.Build();
    }

    public ResiliencePipeline<HttpResponseMessage> Pipeline { get; }

    /// <summary>Lets an operator (or a test) close the circuit at once instead of waiting for the break to end.</summary>
    public CircuitBreakerManualControl Circuit { get; } = new();

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result is { } response ? ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : outcome.Exception?.GetType().Name ?? "unknown";
}
