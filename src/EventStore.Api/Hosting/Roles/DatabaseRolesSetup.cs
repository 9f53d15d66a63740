using EventStore.Api.Database;
using JasperFx;
using Wolverine;

namespace EventStore.Api.Hosting.Roles;

public static class DatabaseRolesSetup
{
    /// <summary>
    /// The owner builds and grants (<see cref="OwnerSchemaSetup"/>, first of the hosted services); everything else serves
    /// as the least-privilege role that <see cref="PostgresConnectionSource.ConnectionString"/> logs in as.
    /// </summary>
    public static IServiceCollection AddDatabaseRoles(this IServiceCollection services)
    {
        services.AddHostedService<OwnerSchemaSetup>();
        // The serving runtime only checks that its tables exist; the owner created them.
        services.ConfigureWolverine(opts => opts.AutoBuildMessageStorageOnStartup = AutoCreate.None);
        return services;
    }
}
