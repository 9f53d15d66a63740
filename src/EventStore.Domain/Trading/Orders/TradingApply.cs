namespace EventStore.Domain.Trading.Orders;

/// <summary>Applies a decided event to an in-memory order, to report the status a command produced.</summary>
public static class TradingApply
{
    public static void To(Order order, object e)
    {
        switch (e)
        {
            case OrderFilled filled:
                order.Apply(filled);
                break;
            case OrderCancelled cancelled:
                order.Apply(cancelled);
                break;
            case OrderExpired expired:
                order.Apply(expired);
                break;
            case OrderAmended amended:
                order.Apply(amended);
                break;
        }
    }
}
