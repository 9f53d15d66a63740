using EventStore.Api.Auth;
using EventStore.Api.GraphQL.Hygiene;
using EventStore.Domain.Trading.Instruments;
using EventStore.Domain.Trading.Orders;
using EventStore.Domain.Users;
using EventStore.Projections.Trading;
using GraphQL;
using GraphQL.Types;
using GraphQL.Types.Relay;
using GraphQL.Types.Relay.DataObjects;
using Marten;

namespace EventStore.Api.GraphQL.Trading;

public static class TradingQueryFields
{
    public static void AddTradingQueries(this ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<InstrumentType>>>>("instruments")
            .Description("Every listed instrument, by symbol.")
            .ResolveAsync(async c => await TradingQueries.InstrumentsAsync(Session(c), c.CancellationToken));

        query.Field<QuoteType>("quote")
            .Description("The latest quote of a symbol; null before the first quote.")
            .Argument<NonNullGraphType<StringGraphType>>("symbol", a => a.SingleLine(InstrumentRules.SymbolMaxLength))
            .ResolveAsync(async c => await TradingQueries.QuoteAsync(Session(c), c.GetArgument<string>("symbol"), c.CancellationToken));

        query.Field<NonNullGraphType<OrderGraphType>>("order")
            .Description("One of your orders with its event history (admins: anyone's).")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => await TradingQueries.OrderAsync(Session(c), Paging.Uuid(c, "id")!.Value, c.User.UserId()!.Value, IsAdmin(c), c.CancellationToken));

        query.Field<NonNullGraphType<ConnectionType<OrderGraphType, EdgeType<OrderGraphType>>>>("orders")
            .Description("Your orders (admins: everyone's, or one user's with filter.userId), newest first by default.")
            .Argument<IntGraphType>("first")
            .Argument<StringGraphType>("after", a => a.SingleLine(Paging.MaxCursorLength))
            .Argument<OrderFilterType>("filter")
            .Argument<OrderSortType>("orderBy")
            .ResolveAsync(async c =>
            {
                var filter = c.GetArgument<OrderFilterInput?>("filter") ?? new OrderFilterInput();
                var owner = IsAdmin(c) ? filter.UserId : c.User.UserId();
                var (items, hasNext) = await TradingQueries.OrdersAsync(Session(c), owner,
                    new TradingQueries.OrderFilter(filter.Status, filter.Symbol, filter.From, filter.To, filter.UserId),
                    c.GetArgument("orderBy", OrderSort.PlacedAtDesc), Paging.PageSize(c.GetArgument<int?>("first")),
                    KeysetCursor.DecodeOrNull(c.GetArgument<string?>("after")), c.CancellationToken);
                return Paging.Connection(items, x => KeysetCursor.Encode(x.PlacedAt, x.Id), hasNext, c.GetArgument<string?>("after"));
            });

        query.Field<NonNullGraphType<ConnectionType<FillType, EdgeType<FillType>>>>("fills")
            .Description("Your executions, newest first (the blotter). Admins: everyone's, or one user's with userId.")
            .Argument<IntGraphType>("first")
            .Argument<StringGraphType>("after", a => a.SingleLine(Paging.MaxCursorLength))
            .Argument<StringGraphType>("symbol", a => a.SingleLine(InstrumentRules.SymbolMaxLength))
            .Argument<IdGraphType>("userId")
            .ResolveAsync(async c =>
            {
                var owner = IsAdmin(c) ? Paging.Uuid(c, "userId") : c.User.UserId();
                var (items, hasNext) = await TradingQueries.FillsAsync(Session(c), owner,
                    c.GetArgument<string?>("symbol"), Paging.PageSize(c.GetArgument<int?>("first")),
                    KeysetCursor.DecodeOrNull(c.GetArgument<string?>("after")),
                    c.CancellationToken);
                return Paging.Connection(items, x => KeysetCursor.Encode(x.FilledAt, x.Id), hasNext, c.GetArgument<string?>("after"));
            });

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<TradeType>>>>("tradeTape")
            .Description("The latest executions in a symbol across all traders, newest first, without who traded.")
            .Argument<NonNullGraphType<StringGraphType>>("symbol", a => a.SingleLine(InstrumentRules.SymbolMaxLength))
            .Argument<IntGraphType>("first", "How many trades, 1 to 100 (default 20).")
            .ResolveAsync(async c =>
            {
                var (items, _) = await TradingQueries.FillsAsync(Session(c), null, c.GetArgument<string>("symbol"),
                    Paging.PageSize(c.GetArgument<int?>("first")), null, c.CancellationToken);
                return items;
            });

        query.Field<NonNullGraphType<PortfolioType>>("portfolio")
            .Description("Cash, reservations, positions and P&L. Admins may pass a userId.")
            .Argument<IdGraphType>("userId")
            .ResolveAsync(async c =>
            {
                var requested = Paging.Uuid(c, "userId");
                var me = c.User.UserId()!.Value;
                if (requested is { } other && other != me && !IsAdmin(c))
                {
                    throw new Errors.ApiError(Errors.ErrorCodes.Forbidden, "Only admins can see another user's portfolio.");
                }

                return await TradingQueries.PortfolioAsync(Session(c), requested ?? me, c.CancellationToken);
            });
    }

    public static IQuerySession Session(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<IQuerySession>();

    private static bool IsAdmin(IResolveFieldContext c) => c.User?.IsInRole(Roles.Admin) == true;
}

public sealed class OrderFilterInput
{
    public OrderStatus? Status { get; set; }
    public string? Symbol { get; set; }
    public DateTimeOffset? From { get; set; }
    public DateTimeOffset? To { get; set; }
    public Guid? UserId { get; set; }
}

public sealed class OrderFilterType : InputObjectGraphType<OrderFilterInput>
{
    public OrderFilterType()
    {
        Name = "OrderFilter";
        Field<OrderStatusType>("status");
        Field(x => x.Symbol, nullable: true).SingleLine(InstrumentRules.SymbolMaxLength);
        Field(x => x.From, nullable: true).Description("Placed at or after.");
        Field(x => x.To, nullable: true).Description("Placed before.");
        Field<IdGraphType>("userId").Description("Admins only: one user's orders.");
    }
}

/// <summary>Picked up by convention (<see cref="RootFields"/>).</summary>
public sealed class TradingQueryRoot : IQueryFields
{
    public int Order => 20;

    public void AddTo(ObjectGraphType root) => root.AddTradingQueries();
}
