using EventStore.Projections.Trading;
using EventStore.Api.GraphQL.Hygiene;
using EventStore.Domain.Trading.Instruments;
using System.Globalization;
using System.Runtime.CompilerServices;
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
    private static readonly string[] OrderEventTypes =
        ["order_placed", "order_rejected", "order_filled", "order_cancelled", "order_expired", "order_amended"];

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
                var filter = new AuditFilter(null, null, f.EventTypes, f.StreamTypes, f.Actor, f.CorrelationId, f.StreamId);
                var streams = Streams(c);
                var after = After(c);
                var pace = c.RequestServices!.GetRequiredService<DeliveryPace>();
                return new AsyncStreamObservable<AuditEvent>(ct => streams.StreamAsync(filter, e => Matches(filter, e), after, pace, ct));
            });

        Field<NonNullGraphType<QuoteUpdateType>>("quotes")
            .Description("Live quotes of the given symbols.")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("symbols",
                a => a.SingleLine(InstrumentRules.SymbolMaxLength))
            .Argument<StringGraphType>("after", a => a.SingleLine(Paging.MaxCursorLength))
            .ResolveStream(c =>
            {
                var symbols = c.GetArgument<List<string>>("symbols").Select(s => s.Trim().ToUpperInvariant()).ToHashSet();
                var filter = new AuditFilter(null, null, ["quote_received"], null, null, null, null);
                var streams = Streams(c);
                var after = After(c);
                var pace = c.RequestServices!.GetRequiredService<DeliveryPace>();
                return new AsyncStreamObservable<QuoteUpdate>(ct => Quotes(streams.StreamAsync(filter, e => e.Type == "quote_received", after, pace, ct), symbols, ct));
            });

        Field<NonNullGraphType<OrderUpdateType>>("myOrderUpdates")
            .Description("Every change to your orders (placed, filled, cancelled, expired, amended, rejected), with the order after it.")
            .Argument<StringGraphType>("after", a => a.SingleLine(Paging.MaxCursorLength))
            .ResolveStream(c =>
            {
                var me = c.User.UserId()!.Value;
                var services = c.RequestServices!;
                var filter = new AuditFilter(null, null, OrderEventTypes, null, null, null, null);
                var streams = Streams(c);
                var after = After(c);
                var pace = c.RequestServices!.GetRequiredService<DeliveryPace>();
                return new AsyncStreamObservable<OrderUpdate>(ct =>
                    Orders(streams.StreamAsync(filter, e => OrderEventTypes.Contains(e.Type), after, pace, ct), services, me, ct));
            });

        AddPortfolioAndUsers(this);
        this.AddNotificationSubscription(After);
        this.AddChatSubscriptions();
        this.AddCommunitySubscriptions();
        this.AddAssistantSubscriptions();
    }

    private static void AddPortfolioAndUsers(SubscriptionType type)
    {
        type.Field<NonNullGraphType<PortfolioUpdateType>>("portfolioChanged")
            .Description("Your cash or positions changed (deposit, reservation, fill, ...): the event and your portfolio after it.")
            .Argument<StringGraphType>("after", a => a.SingleLine(Paging.MaxCursorLength))
            .ResolveStream(c =>
            {
                var me = c.User.UserId()!.Value;
                var services = c.RequestServices!;
                var filter = new AuditFilter(null, null, null, ["cash_account", "position"], null, null, null);
                var streams = Streams(c);
                var after = After(c);
                var pace = c.RequestServices!.GetRequiredService<DeliveryPace>();
                return new AsyncStreamObservable<PortfolioUpdate>(ct =>
                    Portfolio(streams.StreamAsync(filter, e => e.StreamType is "cash_account" or "position", after, pace, ct), services, me, ct));
            });

        type.Field<NonNullGraphType<AuditEventType>>("userEvents")
            .Description("Admins: every change to any user (registrations, roles, deactivations), live.")
            .Argument<StringGraphType>("after", a => a.SingleLine(Paging.MaxCursorLength))
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveStream(c =>
            {
                var filter = new AuditFilter(null, null, null, ["user"], null, null, null);
                var streams = Streams(c);
                var after = After(c);
                var pace = c.RequestServices!.GetRequiredService<DeliveryPace>();
                return new AsyncStreamObservable<AuditEvent>(ct => streams.StreamAsync(filter, e => e.StreamType == "user", after, pace, ct));
            });
    }

    private static async IAsyncEnumerable<PortfolioUpdate> Portfolio(IAsyncEnumerable<AuditEvent> source, IServiceProvider services,
        Guid me, [EnumeratorCancellation] CancellationToken ct)
    {
        var account = Domain.Trading.TradingIds.AccountOf(me);
        var owners = new StreamOwners(me);
        await foreach (var e in source.WithCancellation(ct))
        {
            var mine = e.StreamId == account || (e.StreamType == "position" && await owners.IsMineAsync(e, async token =>
            {
                using var scope = services.CreateScope();
                var session = scope.ServiceProvider.GetRequiredService<Marten.IQuerySession>();
                return await Projections.Trading.TradingQueries.PositionOwnerAsync(session, e.StreamId, token);
            }, ct));
            if (mine)
            {
                using var scope = services.CreateScope();
                var session = scope.ServiceProvider.GetRequiredService<Marten.IQuerySession>();
                yield return new PortfolioUpdate(e.Sequence, e.Type, await Projections.Trading.TradingQueries.PortfolioAsync(session, me, ct));
            }
        }
    }

    private static LiveStreams Streams(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<LiveStreams>();

    internal static long? After(IResolveFieldContext c) => c.GetArgument<string?>("after") is { Length: > 0 } cursor
        ? long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            ? sequence
            : throw new Errors.ApiError(Errors.ErrorCodes.Validation, "'after' must be a sequence number from a previous update.",
                new Dictionary<string, object?> { ["field"] = "after" })
        : null;

    private static bool Matches(AuditFilter filter, AuditEvent e) =>
        (filter.EventTypes is not { Count: > 0 } types || types.Contains(e.Type))
        && (filter.StreamTypes is not { Count: > 0 } streams || streams.Contains(e.StreamType ?? ""))
        && (filter.StreamId is not { } id || id == e.StreamId)
        && (string.IsNullOrEmpty(filter.Actor) || filter.Actor == e.Actor)
        && (string.IsNullOrEmpty(filter.CorrelationId) || filter.CorrelationId == e.CorrelationId);

    private static async IAsyncEnumerable<QuoteUpdate> Quotes(IAsyncEnumerable<AuditEvent> source, HashSet<string> symbols,
        [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var e in source.WithCancellation(ct))
        {
            var quote = QuoteUpdate.From(e);
            if (symbols.Contains(quote.Symbol))
            {
                yield return quote;
            }
        }
    }

    private static async IAsyncEnumerable<OrderUpdate> Orders(IAsyncEnumerable<AuditEvent> source, IServiceProvider services, Guid me,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var owners = new StreamOwners(me);
        await foreach (var e in source.WithCancellation(ct))
        {
            // A stream first seen through an event that does not name its owner is looked up by loading the update itself:
            // if it is the caller's, that same update is the one to send (one read, not two).
            OrderUpdate? loaded = null;
            if (await owners.IsMineAsync(e, async token => (loaded = await OrderUpdate.LoadAsync(services, e, token)).Order.UserId, ct))
            {
                yield return loaded ?? await OrderUpdate.LoadAsync(services, e, ct);
            }
        }
    }
}
