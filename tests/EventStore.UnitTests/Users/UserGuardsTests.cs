using EventStore.Domain;
using EventStore.Domain.Users;

namespace EventStore.UnitTests.Users;

public sealed class UserGuardsTests
{
    [Fact]
    public void a_missing_user_is_not_found()
    {
        Assert.Throws<NotFoundException>(() => UserGuards.MustExist(null));
        Assert.Throws<NotFoundException>(() => UserGuards.MustBeActive(null));
    }

    [Fact]
    public void a_user_without_a_stream_is_not_found()
    {
        Assert.Throws<NotFoundException>(() => UserGuards.MustExist(new User()));
        Assert.Throws<NotFoundException>(() => UserGuards.MustBeActive(new User()));
    }

    [Fact]
    public void a_deactivated_user_exists_but_is_not_active()
    {
        var user = UserHistory.DeactivatedUser();

        UserGuards.MustExist(user);
        Assert.Throws<ConflictException>(() => UserGuards.MustBeActive(user));
    }

    [Fact]
    public void a_registered_user_exists_and_is_active()
    {
        var user = UserHistory.RegisteredUser();

        UserGuards.MustExist(user);
        UserGuards.MustBeActive(user);
    }
}
