using EventStore.Domain.Privacy;
using JasperFx.Events.Projections;
using Marten;

namespace EventStore.Projections.Users;

public static class UserProjections
{
    public static StoreOptions ConfigureUserProjections(this StoreOptions options, PersonalDataProtector protector)
    {
        options.Projections.Add(new UserProfileProjection(protector), ProjectionLifecycle.Async);
        options.Schema.For<UserProfile>()
            .Duplicate(x => x.UsernameKey)
            .GinIndexJsonData();
        return options;
    }
}
