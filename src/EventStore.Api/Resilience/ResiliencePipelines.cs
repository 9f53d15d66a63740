using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Retry;
using Polly.Telemetry;
using Polly.Timeout;

namespace EventStore.Api.Resilience;

/// <summary>
/// The resilience pipeline of every outside dependency, one each, held by Polly's one registry under the names below: a
/// consumer takes its pipeline by name (<c>[FromKeyedServices(ResiliencePipelines.MarketData)]</c>, or
/// <see cref="ResiliencePipelineProvider{TKey}"/>). The registry builds a pipeline once and keeps it, so a circuit's state
/// is shared by every call in the process. Two policies cover them all: <see cref="AddHttpDependencyPolicy"/> for the
/// vendors' HTTP APIs and <see cref="AddTransientRetry"/> for the stores whose own client already bounds an attempt.
/// Each module registers its pipeline with its own settings section (<see cref="AddHttpDependencyPipeline{TOptions}"/>,
/// <see cref="AddTransientRetryPipeline"/>), so this folder depends on no module.
/// </summary>
public static class ResiliencePipelines
{
    /// <summary>The market-data vendor (MarketData:Http).</summary>
    public const string MarketData = "market-data";

    /// <summary>The chat-completions API (Assistant:OpenAI).</summary>
    public const string Assistant = "assistant";

    /// <summary>The e-mail provider (Notifications:Resilience): each provider has its own circuit.</summary>
    public const string NotificationsEmail = "notifications-email";

    /// <summary>The SMS provider (Notifications:Resilience).</summary>
    public const string NotificationsSms = "notifications-sms";

    /// <summary>Elasticsearch (Elasticsearch section).</summary>
    public const string Elasticsearch = "elasticsearch";

    /// <summary>The S3-compatible file store (Files:S3).</summary>
    public const string S3 = "s3";

    /// <summary>
    /// Registers <paramref name="name"/> as an HTTP dependency's pipeline with the settings bound to
    /// <typeparamref name="TOptions"/>, and a <see cref="CircuitBreakerManualControl"/> under the same name that lets an
    /// operator (or a test) close its circuit at once instead of waiting for the break to end.
    /// </summary>
    /// <param name="dependency">How the log lines name the dependency ("Market data").</param>
    public static IServiceCollection AddHttpDependencyPipeline<TOptions>(this IServiceCollection services, string name, string dependency)
        where TOptions : class, IHttpDependencyPolicy
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddKeyedSingleton<CircuitBreakerManualControl>(name);
        services.AddResiliencePipeline<string, HttpResponseMessage>(name, (builder, context) =>
        {
            var provider = context.ServiceProvider;
            builder.TimeProvider = provider.GetRequiredService<TimeProvider>();
            builder.AddHttpDependencyPolicy(dependency, provider.GetRequiredService<IOptions<TOptions>>().Value, Logger(provider, name),
                provider.GetRequiredKeyedService<CircuitBreakerManualControl>(name));
        });
        return services.WithoutPollyLogging();
    }

    /// <summary>Registers <paramref name="name"/> as a retry-only pipeline; <paramref name="retry"/> reads its settings.</summary>
    /// <param name="dependency">How the log lines name the dependency ("Elasticsearch").</param>
    public static IServiceCollection AddTransientRetryPipeline(this IServiceCollection services, string name, string dependency,
        Func<IServiceProvider, TransientRetry> retry)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddResiliencePipeline(name, (builder, context) =>
        {
            var provider = context.ServiceProvider;
            builder.TimeProvider = provider.GetRequiredService<TimeProvider>();
            builder.AddTransientRetry(dependency, retry(provider), Logger(provider, name));
        });
        return services.WithoutPollyLogging();
    }

    /// <summary>An HTTP dependency's pipeline outside the registry (tests that drive it with a fake clock).</summary>
    public static ResiliencePipeline<HttpResponseMessage> BuildHttpDependency(string dependency, IHttpDependencyPolicy policy,
        TimeProvider time, ILogger logger, CircuitBreakerManualControl? circuit = null) =>
        new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddHttpDependencyPolicy(dependency, policy, logger, circuit)
            .Build();

    /// <summary>A retry-only pipeline outside the registry (tests).</summary>
    public static ResiliencePipeline BuildTransientRetry(string dependency, TransientRetry retry, TimeProvider time, ILogger logger) =>
        new ResiliencePipelineBuilder { TimeProvider = time }.AddTransientRetry(dependency, retry, logger).Build();

    /// <summary>
    /// Outermost first: retry (exponential backoff with jitter, or the server's <c>Retry-After</c> on 429/503, at most
    /// <see cref="IHttpDependencyPolicy.MaxRetryAfter"/>), circuit breaker (counts every attempt), per-attempt timeout.
    /// </summary>
    public static ResiliencePipelineBuilder<HttpResponseMessage> AddHttpDependencyPolicy(this ResiliencePipelineBuilder<HttpResponseMessage> builder,
        string dependency, IHttpDependencyPolicy policy, ILogger logger, CircuitBreakerManualControl? circuit = null)
    {
        var time = builder.TimeProvider ?? TimeProvider.System;
        if (policy.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = policy.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = policy.BaseDelay,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result is { } response ? RetryAfter(response, time.GetUtcNow(), policy.MaxRetryAfter) : null),
                OnRetry = args =>
                {
                    logger.LogWarning("{Dependency} attempt {Attempt} failed ({Outcome}); retrying in {Delay}",
                        dependency, args.AttemptNumber + 1, Describe(args.Outcome), args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            ManualControl = circuit,
            FailureRatio = policy.FailureRatio,
            MinimumThroughput = policy.MinimumThroughput,
            SamplingDuration = policy.SamplingDuration,
            BreakDuration = policy.BreakDuration,
            ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
            OnOpened = args =>
            {
                logger.LogWarning("{Dependency} circuit opened for {BreakDuration} after {Outcome}",
                    dependency, args.BreakDuration, Describe(args.Outcome));
                return ValueTask.CompletedTask;
            },
            OnClosed = _ =>
            {
                logger.LogInformation("{Dependency} circuit closed", dependency);
                return ValueTask.CompletedTask;
            },
        });
        builder.AddTimeout(policy.AttemptTimeout);
        return builder;
    }

    /// <summary>
    /// Retry with exponential backoff and jitter while <see cref="TransientRetry.IsTransient"/> says another attempt may
    /// get another answer; nothing else (the dependency's own client bounds each attempt).
    /// </summary>
    public static ResiliencePipelineBuilder AddTransientRetry(this ResiliencePipelineBuilder builder, string dependency, TransientRetry retry,
        ILogger logger)
    {
        if (retry.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = retry.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = retry.BaseDelay,
                MaxDelay = retry.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(retry.IsTransient(args.Outcome)),
                OnRetry = args =>
                {
                    logger.LogWarning("{Dependency} attempt {Attempt} failed ({Outcome}); retrying in {Delay}",
                        dependency, args.AttemptNumber + 1, retry.Describe(args.Outcome), args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder;
    }

    /// <summary>Worth another attempt: 429, any 5xx, a network failure or an attempt that timed out.</summary>
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500,
        _ => false,
    };

    /// <summary>
    /// The wait a 429 or 503 asks for (delta-seconds or HTTP-date), at most <paramref name="cap"/>; null when the
    /// response asks nothing, so the backoff decides.
    /// </summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now, TimeSpan cap)
    {
        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
            || response.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }

        var wait = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - now : null);
        return wait is { } w ? TimeSpan.FromTicks(Math.Clamp(w.Ticks, 0, cap.Ticks)) : null;
    }

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result is { } response ? ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)
            : outcome.Exception?.GetType().Name ?? "unknown";

    private static ILogger Logger(IServiceProvider provider, string name) =>
        provider.GetRequiredService<ILoggerFactory>().CreateLogger("EventStore.Api.Resilience." + name);

    /// <summary>
    /// Polly's own telemetry would log every handled attempt and event again, beside the lines above that name the
    /// dependency; its metrics (meter "Polly") stay. Configured after the registry's own setting, so it wins.
    /// </summary>
    private static IServiceCollection WithoutPollyLogging(this IServiceCollection services)
    {
        services.AddOptions<TelemetryOptions>().Configure(options => options.LoggerFactory = NullLoggerFactory.Instance);
        return services;
    }
}

/// <summary>The settings of an HTTP dependency's pipeline (<see cref="ResiliencePipelines.AddHttpDependencyPolicy"/>).</summary>
public interface IHttpDependencyPolicy
{
    /// <summary>Retries after the first attempt; 0 turns retrying off.</summary>
    int MaxRetries { get; }

    /// <summary>First backoff delay; doubles per retry, with jitter.</summary>
    TimeSpan BaseDelay { get; }

    /// <summary>The longest <c>Retry-After</c> honoured.</summary>
    TimeSpan MaxRetryAfter { get; }

    /// <summary>Share of failed attempts within <see cref="SamplingDuration"/> that opens the circuit.</summary>
    double FailureRatio { get; }

    /// <summary>Attempts within <see cref="SamplingDuration"/> before the circuit may open.</summary>
    int MinimumThroughput { get; }

    TimeSpan SamplingDuration { get; }

    /// <summary>How long an open circuit refuses calls.</summary>
    TimeSpan BreakDuration { get; }

    /// <summary>Bound of each attempt (HttpClient's own timeout is infinite: it must not cut the retries short).</summary>
    TimeSpan AttemptTimeout { get; }
}

/// <summary>A retry-only pipeline's settings and its dependency's rule of what is worth another attempt.</summary>
/// <param name="MaxDelay">The longest backoff; null leaves it unbounded.</param>
/// <param name="IsTransient">Whether an outcome is worth another attempt.</param>
/// <param name="Describe">What a failed outcome looks like in the retry's log line (never a message: it may hold a key).</param>
public sealed record TransientRetry(
    int MaxRetries, TimeSpan BaseDelay, TimeSpan? MaxDelay, Func<Outcome<object>, bool> IsTransient, Func<Outcome<object>, string> Describe);
