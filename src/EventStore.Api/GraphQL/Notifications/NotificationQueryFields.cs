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

public static class NotificationQueryFields
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
                var (items, hasNext) = await NotificationQueries.PageAsync(Session(c), c.User.UserId()!.Value, c.GetArgument("unreadOnly", false),
                    Paging.PageSize(c.GetArgument<int?>("first")), KeysetCursor.DecodeOrNull(after), c.CancellationToken);
                return Paging.Connection(items, x => KeysetCursor.Encode(x.CreatedAt, x.Id), hasNext, after);
            });

        query.Field<NonNullGraphType<NotificationPreferencesType>>("notificationPreferences")
            .Description("Your channels besides in-app.")
            .ResolveAsync(async c => await NotificationQueries.PreferencesAsync(Session(c), c.User.UserId()!.Value, c.CancellationToken));
    }

    public static IQuerySession Session(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<IQuerySession>();
}

/// <summary>Picked up by convention (<see cref="RootFields"/>).</summary>
public sealed class NotificationQueryRoot : IQueryFields
{
    public int Order => 50;

    public void AddTo(ObjectGraphType root) => root.AddNotificationQueries();
}
