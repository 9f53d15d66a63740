using EventStore.Projections.Trading;
using EventStore.Domain.Trading.Orders;
using GraphQL.Types;

namespace EventStore.Api.GraphQL.Trading;

// GraphQL enums named after the domain enums, values in SCREAMING_CASE (BUY, MARKET, GTC, PARTIALLY_FILLED, ...).

public sealed class OrderSideType : EnumerationGraphType<OrderSide>
{
    public OrderSideType() => Name = "OrderSide";
}

public sealed class OrderTypeType : EnumerationGraphType<OrderType>
{
    public OrderTypeType() => Name = "OrderType";
}

public sealed class TimeInForceType : EnumerationGraphType<TimeInForce>
{
    public TimeInForceType() => Name = "TimeInForce";
}

public sealed class OrderStatusType : EnumerationGraphType<OrderStatus>
{
    public OrderStatusType() => Name = "OrderStatus";
}

public sealed class RejectionReasonType : EnumerationGraphType<RejectionReason>
{
    public RejectionReasonType() => Name = "RejectionReason";
}

public sealed class OrderSortType : EnumerationGraphType<OrderSort>
{
    public OrderSortType() => Name = "OrderSort";
}
