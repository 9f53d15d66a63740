using EventStore.Api.GraphQL.Hygiene;
using EventStore.Api.GraphQL.PersonalFields;
using EventStore.Domain.Notifications;
using EventStore.Domain.Notifications.Preferences;
using EventStore.Projections.Notifications;
using GraphQL.Types;

namespace EventStore.Api.GraphQL.Notifications;

public sealed class NotificationKindType : EnumerationGraphType<NotificationKind>
{
    public NotificationKindType() => Name = "NotificationKind";
}

public sealed class NotificationChannelType : EnumerationGraphType<NotificationChannel>
{
    public NotificationChannelType() => Name = "NotificationChannel";
}

public sealed class NotificationType : ObjectGraphType<NotificationView>
{
    public NotificationType()
    {
        Name = "Notification";
        Field(x => x.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(x => x.Kind, type: typeof(NonNullGraphType<NotificationKindType>));
        Field(x => x.Title).Personal(PersonalKind.Text, x => x.UserId);
        Field(x => x.Body).Personal(PersonalKind.Text, x => x.UserId);
        Field(x => x.SubjectId, type: typeof(IdGraphType)).Description("The order, room or conversation it is about.");
        Field(x => x.CreatedAt);
        Field(x => x.ReadAt, nullable: true);
        Field<NonNullGraphType<BooleanGraphType>>("isRead").Resolve(c => c.Source.ReadAt is not null);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<NotificationChannelType>>>>("deliveredBy")
            .Description("External channels that accepted it (in-app is implied).").Resolve(c => c.Source.DeliveredBy);
    }
}


public sealed class NotificationPreferencesType : ObjectGraphType<NotificationPreferencesView>
{
    public NotificationPreferencesType()
    {
        Name = "NotificationPreferences";
        Field(x => x.InApp).Description("Always on.");
        Field(x => x.Email).Description("E-mail to your account's address (when the deployment has an e-mail provider).");
        Field(x => x.Sms).Description("SMS to phoneNumber (when the deployment has an SMS provider).");
        Field(x => x.PhoneNumber, nullable: true).PersonalOfCaller(PersonalKind.Profile);
    }
}

public sealed class NotificationPreferencesInput
{
    public bool Email { get; set; }
    public bool Sms { get; set; }
    public string? PhoneNumber { get; set; }
}

public sealed class NotificationPreferencesInputType : InputObjectGraphType<NotificationPreferencesInput>
{
    public NotificationPreferencesInputType()
    {
        Name = "NotificationPreferencesInput";
        Field(x => x.Email);
        Field(x => x.Sms);
        Field(x => x.PhoneNumber, nullable: true).SingleLine(SetNotificationPreferences.PhoneNumberMaxLength).Description("E.164, e.g. +14155550100. Omit to keep the stored number.");
    }
}
