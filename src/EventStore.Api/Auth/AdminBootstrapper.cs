using EventStore.Api.Database;
using EventStore.Domain;
using EventStore.Domain.Users;
using EventStore.Domain.Users.ManagingRoles;
using EventStore.Domain.Users.Registering;
using FluentValidation;
using Marten;
using Wolverine;

namespace EventStore.Api.Auth;

/// <summary>
/// Creates the first admin from `Bootstrap:AdminUsername` / `Bootstrap:AdminPassword` (e.g. `Bootstrap__AdminUsername`
/// in the environment) through the same commands as everyone else, so the audit trail shows how it came to be.
/// Idempotent: an existing user of that name is only given the admin role.
/// </summary>
public sealed class AdminBootstrapper(IServiceProvider services, IConfiguration configuration, ILogger<AdminBootstrapper> logger)
    : StartupTask
{
    // Runs once every hosted service (Marten schema, Wolverine runtime) has started.
    public override async Task StartedAsync(CancellationToken cancellationToken)
    {
        var username = configuration["Bootstrap:AdminUsername"];
        var password = configuration["Bootstrap:AdminPassword"];
        if (string.IsNullOrWhiteSpace(username) || string.IsNullOrEmpty(password))
        {
            return;
        }

        using var scope = services.CreateScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageContext>();
        bus.ActAs(EventStore.Domain.Auditing.SystemActors.Bootstrap, Guid.CreateVersion7().ToString());
        var session = scope.ServiceProvider.GetRequiredService<IQuerySession>();
        var normalized = UserAccount.Normalize(username);
        var account = await session.Query<UserAccount>().SingleOrDefaultAsync(x => x.Username == normalized, cancellationToken);
        var userId = account?.Id ?? Guid.CreateVersion7();
        if (account is null)
        {
            var email = configuration["Bootstrap:AdminEmail"] ?? $"{normalized}@localhost.localdomain";
            try
            {
                await bus.InvokeAsync<RegisteredUser>(
                    new RegisterUser(userId, username, email, password, configuration["Bootstrap:AdminDisplayName"]),
                    cancellationToken);
            }
            catch (Exception e) when (PostgresErrors.FindUniqueViolation(e) is not null)
            {
                // Another node registered the same bootstrap admin at the same moment: use theirs.
                account = await session.Query<UserAccount>().SingleAsync(x => x.Username == normalized, cancellationToken);
                userId = account.Id;
            }
            catch (ValidationException e)
            {
                throw new InvalidOperationException(
                    "Bootstrap:AdminUsername / Bootstrap:AdminPassword / Bootstrap:AdminEmail are not valid: "
                    + string.Join(" ", e.Errors.Select(x => x.ErrorMessage)), e);
            }

            logger.LogInformation("Bootstrap: registered admin user {Username}", username);
        }

        try
        {
            // The actor of the bootstrap grant is the admin itself: there is no one else yet.
            await bus.InvokeAsync(new AssignRole(userId, Roles.Admin, userId), cancellationToken);
        }
        catch (ConflictException e)
        {
            // A deactivated bootstrap admin stays deactivated: reactivation is a decision for a person, not start-up.
            logger.LogError("Bootstrap: cannot make {Username} an admin: {Reason}", username, e.Message);
        }
    }

}
