using EventStore.Api.Auth;
using EventStore.Domain.Notifications;
using EventStore.Domain.Notifications.Preferences;
using EventStore.Domain.Notifications.Reading;
using EventStore.Projections.Notifications;
using GraphQL;
using GraphQL.Types;
using Marten;
using Wolverine;

namespace EventStore.Api.GraphQL.Notifications;

public static class NotificationMutations
{
    public static void AddNotificationMutations(this ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<NotificationType>>("markNotificationRead")
            .Description("Marks one of your notifications read (again: no change). Someone else's is NOT_FOUND.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c =>
            {
                var id = Paging.Uuid(c, "id")!.Value;
                await Bus(c).InvokeAsync(new MarkNotificationRead(id, c.User.UserId()!.Value), c.CancellationToken);
                return await LiveAsync(NotificationQueryFields.Session(c), id, c.CancellationToken);
            });

        mutation.Field<NonNullGraphType<NotificationPreferencesType>>("updateNotificationPreferences")
            .Argument<NonNullGraphType<NotificationPreferencesInputType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<NotificationPreferencesInput>("input");
                var me = c.User.UserId()!.Value;
                await Bus(c).InvokeAsync(new SetNotificationPreferences(me, input.Email, input.Sms, input.PhoneNumber?.Trim()),
                    c.CancellationToken);
                return await NotificationQueries.PreferencesAsync(NotificationQueryFields.Session(c), me, c.CancellationToken);
            });
    }

    /// <summary>The notification as its stream says now: the caller sees its own write, whatever the projection's lag.</summary>
    private static async Task<NotificationView> LiveAsync(IQuerySession session, Guid id, CancellationToken ct) =>
        await NotificationQueries.NotificationAsync(session, id, ct)
        ?? throw new Domain.NotFoundException("No such notification.");

    private static IMessageBus Bus(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<IMessageBus>();
}

/// <summary>Picked up by convention (<see cref="RootFields"/>).</summary>
public sealed class NotificationMutationRoot : IMutationFields
{
    public int Order => 40;

    public void AddTo(ObjectGraphType root) => root.AddNotificationMutations();
}
