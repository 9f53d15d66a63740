using EventStore.Api.DeadLetters;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Wolverine;
using Wolverine.Marten.Subscriptions;

namespace EventStore.Api.Integration;

/// <summary>
/// Publishes integration events from the committed event log. It is a Marten event subscription run by the async
/// daemon: it reads only committed events below the high-water mark, in global sequence order, so a rolled-back command
/// publishes nothing and every message knows its event's global sequence. Wolverine enlists the messages it publishes
/// in the same transaction that advances the subscription's checkpoint (its Marten outbox): both commit, or neither
/// does. A crash before that commit replays the page on restart; after it, the messages wait in Wolverine's durable
/// outbox until the transport takes them. At least once, per-key order (docs/integration.md). An event whose mapping
/// fails for a reason of its own is dead-lettered and skipped (<see cref="SubscriptionDeadLetters"/>, docs/operations.md).
/// </summary>
public sealed class IntegrationEventRelay : BatchSubscription
{
    public const string Name = "IntegrationEvents";
    private readonly IntegrationEventMap _map;
    private readonly ILogger<IntegrationEventRelay> _logger;
    private readonly ProjectionMetrics _metrics;

    public IntegrationEventRelay(IntegrationEventMap map, ILogger<IntegrationEventRelay> logger, ProjectionMetrics metrics) : base(Name)
    {
        _map = map;
        _logger = logger;
        _metrics = metrics;
        foreach (var type in map.DomainEventTypes)
        {
            IncludeType(type);
        }
    }

    public override async Task ProcessEventsAsync(EventRange page, ISubscriptionController controller, IDocumentOperations operations,
        IMessageBus bus, CancellationToken cancellationToken)
    {
        await SubscriptionDeadLetters.ForEachAsync(page.Events, controller, _logger, async e =>
        {
            var messages = await _map.MapAsync(e, operations, cancellationToken);
            if (messages.Count == 0)
            {
                return;
            }

            // The envelope's correlation id (a Kafka header) is the one of the request that caused the event.
            if (bus is IMessageContext context)
            {
                context.CorrelationId = e.CorrelationId;
                // What consumers append in reaction (notifications) is recorded as the system's doing, not the user's.
                context.UserName = Domain.Auditing.SystemActors.Integration;
            }

            // Key = the aggregate id (or the mapping's, e.g. the room): one entity's messages land on one partition, in order.
            foreach (var (message, key) in messages)
            {
                await bus.PublishAsync(message, new DeliveryOptions { PartitionKey = key });
            }
        }, cancellationToken, _metrics, Name);
    }
}
