using EventStore.Contracts;
using EventStore.Domain.Trading.Orders;
using JasperFx.Events;
using Marten;
using Out = EventStore.Contracts.Trading;

namespace EventStore.Api.Integration;

public static class TradingToIntegration
{
    public static IntegrationEventMap MapTrading(this IntegrationEventMap map) => map
        .Map<OrderPlaced>(e => new Out.OrderPlaced(e.OrderId, e.UserId, e.Symbol, Upper(e.Side), Upper(e.Type), e.Quantity,
            e.LimitPrice, Upper(e.TimeInForce), e.PlacedAt))
        .Map<OrderRejected>(e => new Out.OrderRejected(e.OrderId, e.UserId, e.Symbol, Upper(e.Side), Upper(e.Type),
            e.Quantity, Screaming(e.Reason.ToString()), e.RejectedAt))
        .Map<OrderFilled>(e => new Out.OrderFilled(e.OrderId, e.FillId, e.UserId, e.Symbol, Upper(e.Side), e.Quantity,
            e.Price, e.Fee, e.FilledQuantity, e.RemainingQuantity, e.FilledAt))
        .Map<OrderCancelled>(async (e, session, ct) => await OwnerOf(e, session, ct) is { } order
            ? new Out.OrderCancelled(e.Data.OrderId, order.UserId, order.Symbol, e.Data.CancelledQuantity,
                e.Data.Reason == "ioc-remainder" ? Out.OrderCancelled.IocRemainder : Out.OrderCancelled.Requested,
                e.Data.CancelledAt)
            : null)
        // An expiry is a cancellation for the outside world, with its own reason.
        .Map<OrderExpired>(async (e, session, ct) => await OwnerOf(e, session, ct) is { } order
            ? new Out.OrderCancelled(e.Data.OrderId, order.UserId, order.Symbol, e.Data.ExpiredQuantity,
                Out.OrderCancelled.Expired, e.Data.ExpiredAt)
            : null);

    /// <summary>Cancellations do not repeat the owner and symbol: read them from the order as of that event.</summary>
    private static Task<Order?> OwnerOf(IEvent e, IQuerySession session, CancellationToken ct) =>
        session.Events.AggregateStreamAsync<Order>(e.StreamId, e.Version, token: ct);

    private static string Upper<T>(T value) where T : struct, Enum => value.ToString().ToUpperInvariant();

    /// <summary>InsufficientBuyingPower -> INSUFFICIENT_BUYING_POWER, as the API's ORDER_REJECTED reason.</summary>
    private static string Screaming(string value) =>
        string.Concat(value.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : c.ToString())).ToUpperInvariant();
}
