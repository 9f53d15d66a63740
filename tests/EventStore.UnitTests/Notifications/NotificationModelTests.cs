using EventStore.Domain.Notifications;
using EventStore.Domain.Notifications.Preferences;
using EventStore.Projections.Notifications;

namespace EventStore.UnitTests.Notifications;

public sealed class NotificationModelTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void one_integration_event_gives_one_notification_id_per_recipient()
    {
        var source = Guid.NewGuid();
        var (alice, bob) = (Guid.NewGuid(), Guid.NewGuid());

        Assert.Equal(NotificationIds.For(source, alice), NotificationIds.For(source, alice));
        Assert.NotEqual(NotificationIds.For(source, alice), NotificationIds.For(source, bob));
        Assert.NotEqual(NotificationIds.For(source, alice), NotificationIds.For(Guid.NewGuid(), alice));
        Assert.NotEqual(NotificationIds.For(source, alice), NotificationIds.PreferencesOf(alice));
    }

    [Fact]
    public void the_view_keeps_the_first_read_time_and_each_channel_once()
    {
        var id = Guid.NewGuid();
        var view = NotificationViewProjection.Create(new NotificationCreated(id, Guid.NewGuid(), NotificationKind.OrderFilled,
            "t", "b", Guid.NewGuid(), 5, null, Now));

        NotificationViewProjection.Apply(new NotificationRead(id, view.UserId, Now.AddMinutes(1)), view);
        NotificationViewProjection.Apply(new NotificationRead(id, view.UserId, Now.AddMinutes(2)), view);
        NotificationViewProjection.Apply(new NotificationDelivered(id, NotificationChannel.Email, Now), view);
        NotificationViewProjection.Apply(new NotificationDelivered(id, NotificationChannel.Email, Now), view);

        Assert.Equal(Now.AddMinutes(1), view.ReadAt);
        Assert.Equal([NotificationChannel.Email], view.DeliveredBy);
    }

    [Theory]
    [InlineData("+14155550100", true)]
    [InlineData(null, true)]
    [InlineData("4155550100", false)]
    [InlineData("+0123456789", false)]
    public void a_phone_number_must_be_e164(string? phone, bool valid)
    {
        var result = new SetNotificationPreferences.Validator().Validate(new SetNotificationPreferences(Guid.NewGuid(), false, false, phone));

        Assert.Equal(valid, result.IsValid);
    }
}
