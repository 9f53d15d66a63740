using EventStore.Api.MarketData;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace EventStore.Api.Notifications;

/// <summary>
/// Polly in front of one provider, outermost first: retry (exponential backoff with jitter, or the provider's
/// Retry-After on 429/503), circuit breaker (one per provider, shared by every send), per-attempt timeout. The same
/// transient rules as the market-data vendor (<see cref="MarketDataPipeline.IsTransient"/>).
/// </summary>
public static class DeliveryPipeline
{
    public static ResiliencePipeline<HttpResponseMessage> Build(string provider, DeliveryResilienceOptions o, TimeProvider time,
        ILogger logger)
    {
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
                    logger.LogWarning("{Provider} attempt {Attempt} failed; retrying in {Delay}", provider, args.AttemptNumber + 1,
                        args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            FailureRatio = 0.5,
            MinimumThroughput = 10,
            SamplingDuration = TimeSpan.FromSeconds(30),
            BreakDuration = o.BreakDuration,
            ShouldHandle = args => ValueTask.FromResult(MarketDataPipeline.IsTransient(args.Outcome)),
        });
        builder.AddTimeout(o.AttemptTimeout);
        return builder.Build();
    }

    /// <summary>Runs one send through the pipeline; every failure becomes a result, never an exception.</summary>
    public static async Task<Domain.Notifications.Delivering.DeliveryResult> SendAsync(ResiliencePipeline<HttpResponseMessage> pipeline,
        HttpClient client, Func<HttpRequestMessage> request, CancellationToken ct)
    {
        try
        {
            using var response = await pipeline.ExecuteAsync(async token =>
            {
                using var message = request();
                return await client.SendAsync(message, token);
            }, ct);
            return response.IsSuccessStatusCode
                ? Domain.Notifications.Delivering.DeliveryResult.Ok
                : new Domain.Notifications.Delivering.DeliveryResult(false, $"HTTP {(int)response.StatusCode}");
        }
        catch (Exception e) when (e is HttpRequestException or BrokenCircuitException or Polly.Timeout.TimeoutRejectedException)
        {
            return new Domain.Notifications.Delivering.DeliveryResult(false, e is BrokenCircuitException ? "circuit open" : e.GetType().Name);
        }
    }
}
