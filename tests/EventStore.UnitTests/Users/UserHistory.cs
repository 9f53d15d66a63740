using EventStore.Domain.Users;
using static EventStore.UnitTests.PersonalDataFixture;

namespace EventStore.UnitTests.Users;

/// <summary>Scenario helper: a user's stream as events, replayed through the write model's own Apply methods.</summary>
internal static class UserHistory
{
    public static readonly Guid UserId = Guid.Parse("0197a5c4-1b2e-7d3f-8a4b-5c6d7e8f9a01");
    public static readonly Guid AdminId = Guid.Parse("0197a5c4-1b2e-7d3f-8a4b-5c6d7e8f9a02");
    public static readonly DateTimeOffset RegisteredAt = new(2025, 3, 1, 9, 30, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Now = new(2025, 6, 15, 14, 0, 0, TimeSpan.Zero);

    public static UserRegistered Registered { get; } =
        new(UserId, Seal(UserId, "Alice"), Seal(UserId, "alice@example.com"), Seal(UserId, "Alice"), RegisteredAt);

    public static TimeProvider Clock { get; } = new FixedClock(Now);

    /// <summary>A registered user, then whatever happened to them since.</summary>
    public static User RegisteredUser(params object[] since) => Replay([Registered, .. since]);

    public static User DeactivatedUser() =>
        RegisteredUser(new UserDeactivated(UserId, null, AdminId, RegisteredAt.AddDays(1)));

    public static User Replay(IEnumerable<object> events)
    {
        var user = new User();
        foreach (var e in events)
        {
            switch (e)
            {
                case UserRegistered x: user.Apply(x); break;
                case UserProfileUpdated x: user.Apply(x); break;
                case UserEmailChanged x: user.Apply(x); break;
                case UserRoleAssigned x: user.Apply(x); break;
                case UserRoleRevoked x: user.Apply(x); break;
                case UserDeactivated x: user.Apply(x); break;
                case PersonalDataErased x: user.Apply(x); break;
                default: throw new ArgumentException($"Not a Users event: {e.GetType().Name}", nameof(events));
            }
        }

        return user;
    }
}
