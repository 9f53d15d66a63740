using FluentValidation;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;
using Microsoft.AspNetCore.Identity;
using StoreOptions = Marten.StoreOptions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EventStore.Domain.Users;

public static class UsersModule
{
    /// <summary>
    /// Every event type of the module. Async projections over the module's streams filter on this list, so their
    /// shards never load, deserialize or slice another module's events, while every event of their own streams
    /// still reaches them (a view's version stays the stream's version).
    /// </summary>
    public static readonly Type[] EventTypes =
    [
        typeof(UserRegistered), typeof(UserProfileUpdated), typeof(UserEmailChanged),
        typeof(UserRoleAssigned), typeof(UserRoleRevoked), typeof(UserDeactivated), typeof(PersonalDataErased),
        typeof(UserPasswordChanged), typeof(UserSessionsRevoked),
        typeof(MfaEnrolmentStarted), typeof(MfaEnabled), typeof(MfaCodeUsed), typeof(MfaDisabled),
        typeof(Auditing.AuditLogRead),
    ];

    public static StoreOptions ConfigureUsers(this StoreOptions options)
    {
        options.Schema.For<UserAccount>()
            .UniqueIndex(x => x.Username)
            .UniqueIndex(x => x.Email);
        // Personal-data keys: their own table (mt_doc_personaldatakey), written with the events they seal.
        options.Schema.For<Privacy.PersonalDataKey>();
        // Sessions: versioned, so that two uses of one refresh token cannot both rotate it (reuse detection).
        options.Schema.For<Sessions.UserSession>().UseOptimisticConcurrency(true).Index(x => x.UserId);
        // Inline: a token must be refused on the very request after the event that changed the stamp.
        options.Projections.Snapshot<Sessions.UserSecurity>(SnapshotLifecycle.Inline);

        options.Events.AddEventTypes(EventTypes);
        return options;
    }

    public static IServiceCollection AddUsers(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IPasswordHasher<UserAccount>, PasswordHasher<UserAccount>>();
        services.AddValidatorsFromAssemblyContaining<UserAccount>(ServiceLifetime.Singleton, includeInternalTypes: false);
        return services;
    }
}
