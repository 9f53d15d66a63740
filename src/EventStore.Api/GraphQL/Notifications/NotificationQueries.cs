using EventStore.Api.Auth;
using EventStore.Api.GraphQL.Hygiene;
using EventStore.Api.GraphQL.Trading;
using EventStore.Domain.Notifications;
using EventStore.Projections.Notifications;
using GraphQL;
using GraphQL.Types;
using GraphQL.Types.Relay;
using Marten;
using Marten.Linq.MatchesSql;

namespace EventStore.Api.GraphQL.Notifications;

public static class NotificationQueries
{
    public static void AddNotificationQueries(this ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ConnectionType<NotificationType, EdgeType<NotificationType>>>>("notifications")
            .Description("Your in-app notifications, newest first.")
            .Argument<IntGraphType>("first")
            .Argument<StringGraphType>("after", a => a.SingleLine(Paging.MaxCursorLength))
            .Argument<BooleanGraphType>("unreadOnly")
            .ResolveAsync(async c =>
            {
                var after = c.GetArgument<string?>("after");
                var (items, hasNext) = await PageAsync(Session(c), c.User.UserId()!.Value, c.GetArgument("unreadOnly", false),
                    Paging.PageSize(c.GetArgument<int?>("first")), after, c.CancellationToken);
                return Paging.Connection(items, x => KeysetCursor.Encode(x.CreatedAt, x.Id), hasNext, after);
            });

        query.Field<NonNullGraphType<NotificationPreferencesType>>("notificationPreferences")
            .Description("Your channels besides in-app.")
            .ResolveAsync(async c => await PreferencesAsync(Session(c), c.User.UserId()!.Value, c.CancellationToken));
    }

    public static async Task<(IReadOnlyList<NotificationView> Items, bool HasNext)> PageAsync(IQuerySession session, Guid userId,
        bool unreadOnly, int first, string? after, CancellationToken ct)
    {
        var query = session.Query<NotificationView>().Where(x => x.UserId == userId);
        if (unreadOnly)
        {
            query = query.Where(x => x.ReadAt == null);
        }

        if (after is not null)
        {
            var (at, id) = KeysetCursor.Decode(after);
            query = query.Where(x => x.MatchesSql("(d.created_at, d.id) < (?, ?)", at, id));
        }

        var rows = await query.OrderByDescending(x => x.CreatedAt).ThenByDescending(x => x.Id).Take(first + 1).ToListAsync(ct);
        return (rows.Take(first).ToList(), rows.Count > first);
    }

    public static async Task<NotificationPreferencesView> PreferencesAsync(IQuerySession session, Guid userId, CancellationToken ct)
    {
        var preferences = await session.Events.AggregateStreamAsync<NotificationPreferences>(NotificationIds.PreferencesOf(userId), token: ct);
        var contact = await session.LoadAsync<NotificationContact>(userId, ct);
        return new NotificationPreferencesView(true, preferences?.Email ?? false, preferences?.Sms ?? false, contact?.PhoneNumber);
    }

    public static IQuerySession Session(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<IQuerySession>();
}
