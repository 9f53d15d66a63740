using EventStore.Projections.Trading;
using EventStore.Api.GraphQL.Hygiene;
using EventStore.Domain.MarketData;
using EventStore.Domain.Trading.Instruments;
using EventStore.Domain.Trading.Orders;
using EventStore.Api.Auth;
using EventStore.Api.GraphQL.Assistant;
using EventStore.Api.GraphQL.Audit;
using EventStore.Api.GraphQL.Notifications;
using EventStore.Api.GraphQL.Chat;
using EventStore.Api.GraphQL.Community;
using EventStore.Api.LiveFeed;
using EventStore.Domain.Users;
using GraphQL;
using GraphQL.Types;

namespace EventStore.Api.GraphQL;

/// <summary>
/// Live updates. Each item carries the global `sequence`: pass the last one seen as `after` when reconnecting to get
/// everything missed, in order, without duplicates, then live updates. Without `after`: live from now.
/// </summary>
public sealed class SubscriptionType : ObjectGraphType
{
    private static readonly EventLogFilter OrderEvents = EventLogFilter.OfEvents(typeof(OrderPlaced), typeof(OrderRejected),
        typeof(OrderFilled), typeof(OrderCancelled), typeof(OrderExpired), typeof(OrderAmended));

    public SubscriptionType()
    {
        Name = "Subscription";

        Field<NonNullGraphType<AuditEventType>>("events")
            .Description("Auditors: the global log, live, optionally replayed from a cursor (the global sequence).")
            .Argument<AuditFilterType>("filter")
            .Argument<StringGraphType>("after", a => a.SingleLine(Paging.MaxCursorLength))
            .AuthorizeWithRoles(Roles.Auditor, Roles.Admin)
            .ResolveStream(c =>
            {
                var f = c.GetArgument<AuditFilterInput?>("filter") ?? new AuditFilterInput();
                return LiveSubscription.Rows(c, new EventLogFilter(null, null, f.EventTypes, f.StreamTypes, f.Actor, f.CorrelationId, f.StreamId));
            });

        Field<NonNullGraphType<QuoteUpdateType>>("quotes")
            .Description("Live quotes of the given symbols.")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("symbols",
                a => a.SingleLine(InstrumentRules.SymbolMaxLength))
            .Argument<StringGraphType>("after", a => a.SingleLine(Paging.MaxCursorLength))
            .ResolveStream(c =>
            {
                var symbols = c.GetArgument<List<string>>("symbols").Select(s => s.Trim().ToUpperInvariant()).ToHashSet();
                return LiveSubscription.Stream(c, EventLogFilter.OfEvents(typeof(QuoteReceived)), (e, _, _) =>
                    ValueTask.FromResult(QuoteUpdate.From(e) is var quote && symbols.Contains(quote.Symbol) ? quote : null));
            });

        Field<NonNullGraphType<OrderUpdateType>>("myOrderUpdates")
            .Description("Every change to your orders (placed, filled, cancelled, expired, amended, rejected), with the order after it.")
            .Argument<StringGraphType>("after", a => a.SingleLine(Paging.MaxCursorLength))
            .ResolveStream(c =>
            {
                var owners = new StreamOwners(c.User.UserId()!.Value);
                return LiveSubscription.Stream(c, OrderEvents, async (e, services, ct) =>
                {
                    var session = services.GetRequiredService<Marten.IQuerySession>();
                    // A stream first seen through an event that does not name its owner is looked up by loading the update
                    // itself: if it is the caller's, that same update is the one to send (one read, not two).
                    OrderUpdate? loaded = null;
                    return await owners.IsMineAsync(e, async token => (loaded = await OrderUpdate.LoadAsync(session, e, token)).Order.UserId, ct)
                        ? loaded ?? await OrderUpdate.LoadAsync(session, e, ct)
                        : null;
                });
            });

        Field<NonNullGraphType<PortfolioUpdateType>>("portfolioChanged")
            .Description("Your cash or positions changed (deposit, reservation, fill, ...): the event and your portfolio after it.")
            .Argument<StringGraphType>("after", a => a.SingleLine(Paging.MaxCursorLength))
            .ResolveStream(c =>
            {
                var me = c.User.UserId()!.Value;
                var account = Domain.Trading.TradingIds.AccountOf(me);
                var owners = new StreamOwners(me);
                return LiveSubscription.Stream(c, EventLogFilter.OfStreams("cash_account", "position"), async (e, services, ct) =>
                {
                    var session = services.GetRequiredService<Marten.IQuerySession>();
                    var mine = e.StreamId == account || (e.StreamType == "position"
                        && await owners.IsMineAsync(e, token => TradingQueries.PositionOwnerAsync(session, e.StreamId, token), ct));
                    return mine ? new PortfolioUpdate(e.Sequence, e.Type, await TradingQueries.PortfolioAsync(session, me, ct)) : null;
                });
            });

        Field<NonNullGraphType<AuditEventType>>("userEvents")
            .Description("Admins: every change to any user (registrations, roles, deactivations), live.")
            .Argument<StringGraphType>("after", a => a.SingleLine(Paging.MaxCursorLength))
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveStream(c => LiveSubscription.Rows(c, EventLogFilter.OfStreams("user")));

        RootFields.AddAll<ISubscriptionFields>(this); // the modules' live fields, found by convention
    }
}
