using EventStore.Contracts.Trading;
using Marten;
using Wolverine;

namespace EventStore.Domain.Notifications.Notifying;

/// <summary>Trading facts that concern the trader: a fill, a rejection, a DAY order that expired.</summary>
public static class NotifyOnTradingHandler
{
    public static Task<OutgoingMessages> Handle(OrderFilled e, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        Notify.UserAsync(session, e, e.UserId, NotificationKind.OrderFilled,
            e.RemainingQuantity == 0 ? $"{e.Symbol} order filled" : $"{e.Symbol} order partially filled",
            $"{Verb(e.Side)} {Notify.Quantity(e.Quantity)} {e.Symbol} at {Notify.Quantity(e.Price)}; {Notify.Quantity(e.RemainingQuantity)} remaining.",
            e.OrderId, clock, ct);

    public static Task<OutgoingMessages> Handle(OrderRejected e, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        Notify.UserAsync(session, e, e.UserId, NotificationKind.OrderRejected, $"{e.Symbol} order rejected",
            $"Your order to {e.Side.ToLowerInvariant()} {Notify.Quantity(e.Quantity)} {e.Symbol} was rejected ({e.Reason}).",
            e.OrderId, clock, ct);

    public static Task<OutgoingMessages> Handle(OrderCancelled e, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        e.Reason == OrderCancelled.Expired
            ? Notify.UserAsync(session, e, e.UserId, NotificationKind.OrderExpired, $"{e.Symbol} order expired",
                $"{Notify.Quantity(e.CancelledQuantity)} {e.Symbol} did not execute before the session ended.", e.OrderId, clock, ct)
            : Notify.NobodyAsync(session, e, clock, ct); // the trader cancelled it, or IOC: they know already

    private static string Verb(string side) => side == "SELL" ? "Sold" : "Bought";
}
