using EventStore.Api.Resilience;
using Polly;
using Polly.CircuitBreaker;

namespace EventStore.Api.Notifications;

/// <summary>
/// One send to a provider through its pipeline (<see cref="ResiliencePipelines.NotificationsEmail"/>,
/// <see cref="ResiliencePipelines.NotificationsSms"/>: retry, a circuit per provider, per-attempt timeout).
/// </summary>
public static class DeliveryPipeline
{
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
