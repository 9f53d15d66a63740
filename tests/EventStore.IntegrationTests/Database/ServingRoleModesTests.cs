using Alba;
using EventStore.Api.Database;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;
using EventStore.LocalPostgres;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EventStore.IntegrationTests.Database;

/// <summary>
/// The other two ways to get a serving role (docs/operations.md#database-roles): a role the operator made, given as
/// `ConnectionStrings:PostgresServing`; and the embedded server of `dotnet run`, which sets everything up itself. Each test
/// starts its own app on its own database.
/// </summary>
public sealed class ServingRoleModesTests
{
    [Fact]
    public async Task a_serving_connection_string_is_used_as_given_and_gets_the_serving_privileges()
    {
        var owner = await TestPostgres.CreateDatabaseAsync("es_given");
        var role = "es_given_" + Guid.NewGuid().ToString("N")[..12];
        await Db.ExecuteAsync(owner, $"create role {role} login password 'given-password-for-tests'");
        var serving = new NpgsqlConnectionStringBuilder(owner) { Username = role, Password = "given-password-for-tests" }.ConnectionString;

        await using var host = await StartAsync(owner, ("ConnectionStrings:PostgresServing", serving));
        var (id, _) = await new GraphQLClient(host).RegisterAndLogInAsync("given-role-user");

        Assert.Equal(role, new NpgsqlConnectionStringBuilder(host.Services.GetRequiredService<PostgresConnectionSource>().ConnectionString).Username);
        Assert.True(await Db.ScalarAsync<long>(serving, $"select count(*) from eventstore.mt_events where stream_id = '{id}'") > 0);
        var refused = await Db.RefusedAsync(serving, "update eventstore.mt_events set data = '{}'");
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.False(await Db.ScalarAsync<bool>(owner, $"select exists (select from pg_roles where rolname = '{new NpgsqlConnectionStringBuilder(owner).Database}_app')"));
    }

    [Fact]
    public async Task a_serving_connection_string_that_logs_in_as_a_superuser_stops_the_app()
    {
        var owner = await TestPostgres.CreateDatabaseAsync("es_super");

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(owner, ("ConnectionStrings:PostgresServing", owner)));

        Assert.Contains("is a superuser", Messages(failure), StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_embedded_server_serves_as_its_own_least_privilege_role()
    {
        Assert.True(PostgresBinaries.Find(null) is not null, "This test needs the PostgreSQL server binaries (apt-get install postgresql).");
        var directory = Path.Combine(Path.GetTempPath(), "eventstore-tests", $"embedded-{Guid.NewGuid():N}");
        try
        {
            await using (var host = await StartAsync(null, ("EmbeddedPostgres:DataDirectory", directory)))
            {
                var source = host.Services.GetRequiredService<PostgresConnectionSource>();
                await new GraphQLClient(host).RegisterAndLogInAsync("embedded-user");

                Assert.True(source.IsEmbedded);
                Assert.Equal("eventstore_app", new NpgsqlConnectionStringBuilder(source.ConnectionString).Username);
                Assert.False(await Db.ScalarAsync<bool>(source.ConnectionString, "select rolsuper or rolcreaterole or rolcreatedb from pg_roles where rolname = current_user"));
                Assert.Equal(PostgresErrorCodes.InsufficientPrivilege,
                    (await Db.RefusedAsync(source.ConnectionString, "update eventstore.mt_events set data = '{}'")).SqlState);
                Assert.Equal(PostgresErrorCodes.InsufficientPrivilege,
                    (await Db.RefusedAsync(source.OwnerConnectionString, "update eventstore.mt_events set data = '{}'")).SqlState);
            }
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static Task<IAlbaHost> StartAsync(string? owner, params (string Key, string Value)[] settings) => AlbaHost.For<Program>(builder =>
    {
        if (owner is not null)
        {
            builder.UseSetting("ConnectionStrings:Postgres", owner);
        }

        builder.UseSetting("Jwt:SigningKey", AppFixture.SigningKey);
        builder.UseSetting("GraphQL:AuthAttemptsPerUsername", "0"); // no login limits here (LoginRateLimitTests)
        builder.UseSetting("GraphQL:AuthAttemptsPerAddress", "0");
        builder.UseSetting("PersonalData:KeyEncryptionKey", AppFixture.PersonalDataKey);
        builder.UseSetting("Analytics:PseudonymKey", AppFixture.AnalyticsPseudonymKey);
        builder.UseSetting("MarketData:Enabled", "false");
        builder.UseSetting("GraphQL:AnonymousRequestsPerMinute", "0");
        builder.UseSetting("Logging:LogLevel:Default", Environment.GetEnvironmentVariable("EVENTSTORE_TEST_LOG_LEVEL") ?? "Warning");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    });

    private static string Messages(Exception e) => e.InnerException is null ? e.Message : e.Message + " | " + Messages(e.InnerException);
}
