using EventStore.Domain.Assistant;
using JasperFx.Events;
using Marten;
using static EventStore.Projections.Analytics.AnalyticsTables;

namespace EventStore.Projections.Analytics;

/// <summary>
/// Async projection that fills the AI tables of the `analytics` schema: one fact per assistant interaction with an
/// outcome (answered or failed; asked in a conversation or by @assistant in a room), keyed by the interaction's
/// pseudonym, then the touched model-days recomputed from the facts. It reads the outcome's usage figures only: never the
/// prompt, the context or the answer, which stay sealed in the events.
/// </summary>
public sealed class AiUsageAnalyticsProjection(AnalyticsPseudonyms pseudonyms)
    : AnalyticsProjection(ProjectionName, pseudonyms, [typeof(AssistantResponseReceived), typeof(AssistantRequestFailed)], AiTables)
{
    public const string ProjectionName = "AiUsageAnalytics";

    public const string Conversation = "conversation";
    public const string Room = "room";

    public override Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var requests = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            var request = e.Data switch
            {
                AssistantResponseReceived r => new Request(r.InteractionId, r.UserId, r.RoomId, r.ReceivedAt, r.Provider, r.Model,
                    r.TokensIn, r.TokensOut, r.Cost, r.LatencyMs, r.FinishReason, null),
                AssistantRequestFailed f => new Request(f.InteractionId, f.UserId, f.RoomId, f.FailedAt, f.Provider, f.Model, 0, 0, 0m,
                    f.LatencyMs, null, f.ErrorClass),
                _ => null,
            };
            if (request is null)
            {
                continue;
            }

            var key = Pseudonyms.Interaction(request.InteractionId);
            operations.QueueSqlCommand(
                $"""
                insert into {AiRequests} (request_key, day, trader, channel, provider, model, tokens_in, tokens_out, cost, latency_ms,
                  finish_reason, failed, error_class)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing
                """,
                key, TradingAnalyticsProjection.Day(request.At), Pseudonyms.Trader(request.UserId), request.RoomId is null ? Conversation : Room,
                request.Provider, request.Model, request.TokensIn, request.TokensOut, request.Cost, request.LatencyMs,
                (object?)request.FinishReason ?? DBNull.Value, request.ErrorClass is not null, (object?)request.ErrorClass ?? DBNull.Value);
            requests.Add(key);
        }

        if (requests.Count > 0)
        {
            operations.QueueSqlCommand(AnalyticsSql.RecomputeAiUsageDaily, [requests.Order(StringComparer.Ordinal).ToArray()]);
        }

        return Task.CompletedTask;
    }

    /// <summary>An interaction's outcome, answered (<see cref="FinishReason"/>) or failed (<see cref="ErrorClass"/>).</summary>
    private sealed record Request(Guid InteractionId, Guid UserId, Guid? RoomId, DateTimeOffset At, string Provider, string Model,
        int TokensIn, int TokensOut, decimal Cost, long LatencyMs, string? FinishReason, string? ErrorClass);
}
