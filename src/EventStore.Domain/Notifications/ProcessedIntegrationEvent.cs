using EventStore.Contracts;
using Marten;

namespace EventStore.Domain.Notifications;

/// <summary>
/// Idempotent consumption: one row per (consumer, integration event id), inserted in the same transaction as what the
/// event caused. The primary key is the dedupe key, so a redelivery (Kafka at-least-once, an outbox resend after a
/// crash) finds the row and does nothing, and two concurrent deliveries cannot both commit: the loser fails on the key
/// and its retry finds the row. No time window: rows stay.
/// </summary>
public sealed class ProcessedIntegrationEvent : ICreatedOnFirstUse
{
    public string Id { get; set; } = "";
    public string MessageType { get; set; } = "";
    public long Sequence { get; set; }
    public DateTimeOffset ProcessedAt { get; set; }

    public static string Key(string consumer, Guid eventId) => $"{consumer}:{eventId:N}";

    /// <summary>False when this consumer already processed the event; otherwise stages the claim in the session.</summary>
    public static async Task<bool> TryClaimAsync(IDocumentSession session, string consumer, IntegrationEvent message,
        TimeProvider clock, CancellationToken ct)
    {
        var key = Key(consumer, message.EventId);
        if (await session.LoadAsync<ProcessedIntegrationEvent>(key, ct) is not null)
        {
            return false;
        }

        session.Insert(new ProcessedIntegrationEvent
        {
            Id = key, MessageType = message.GetType().Name, Sequence = message.Sequence, ProcessedAt = clock.GetUtcNow(),
        });
        return true;
    }
}
