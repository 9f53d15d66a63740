using Alba;
using EventStore.Api.Auth;
using EventStore.Api.Database;
using EventStore.Api.Hosting;
using JasperFx.Events;
using Marten;
using Marten.Events;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EventStore.IntegrationTests.Infrastructure;

/// <summary>
/// One app host per test collection, on its own database of the run's PostgreSQL server. Tests reset the data with
/// <see cref="ResetAsync"/> and wait for projections with Marten's own helper, never with delays.
/// </summary>
public class AppFixture : IAsyncLifetime
{
    public const string AdminUsername = "root-admin";
    public const string AdminPassword = "admin-password-for-tests";
    public const string SigningKey = "integration-tests-signing-key-0123456789abcdef";

    /// <summary>A fixed key-encryption key for personal data (32 bytes), so every host of a run opens the same data.</summary>
    public const string PersonalDataKey = "base64:aW50ZWdyYXRpb24tdGVzdHMtcGVyc29uYWwtZGF0YSE=";

    /// <summary>A fixed analytics pseudonym key (32 bytes), so tests can compute the expected pseudonyms themselves.</summary>
    public const string AnalyticsPseudonymKey = "base64:aW50ZWdyYXRpb24tdGVzdHMtYW5hbHl0aWNzLWtleSE=";

    /// <summary>Password of the read-only analytics role (eventstore_analyst) that the app creates at start-up.</summary>
    public const string AnalystPassword = "analyst-password-for-tests";

    public IAlbaHost Host { get; private set; } = null!;

    /// <summary>The owner's connection to this fixture's database (the test server's superuser): what an operator would use.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>The least-privilege role the app serves as (provisioned by the app for this database).</summary>
    public string ServingConnectionString => Host.Services.GetRequiredService<PostgresConnectionSource>().ConnectionString;

    /// <summary>SQL as the owner with the maintenance switch on: for tests that alter the event log on purpose.</summary>
    public Task MaintenanceSqlAsync(string reason, string sql) => MaintenanceMode.ExecuteAsync(ConnectionString, reason, sql);

    public virtual async Task InitializeAsync()
    {
        ConnectionString = await TestPostgres.CreateDatabaseAsync("es_test");
        Host = await AlbaHost.For<Program>(builder =>
        {
            builder.UseSetting("ConnectionStrings:Postgres", ConnectionString);
            builder.UseSetting("Jwt:SigningKey", SigningKey);
            builder.UseSetting("PersonalData:KeyEncryptionKey", PersonalDataKey);
            builder.UseSetting("Analytics:PseudonymKey", AnalyticsPseudonymKey);
            builder.UseSetting("Analytics:ReaderPassword", AnalystPassword);
            builder.UseSetting("Bootstrap:AdminUsername", AdminUsername);
            builder.UseSetting("Bootstrap:AdminPassword", AdminPassword);
            // Tests log in with a password only; MfaTests turn the second factor on for their own host.
            builder.UseSetting("Auth:Mfa:RequiredRoles", "none");
            // Tests inject quotes themselves (TradingScenarios.QuoteAsync): no timed pump moving prices under them.
            builder.UseSetting("MarketData:Enabled", "false");
            // No scheduled reconciliation under the tests' feet (ScheduledReconciliationTests starts a node with one).
            builder.UseSetting("Reconciliation:Interval", "00:00:00");
            // Every test registers and logs in from one address: no anonymous request limit (RateLimitTests covers it).
            builder.UseSetting("GraphQL:AnonymousRequestsPerMinute", "0");
            // Tests log the same users in many times from one address: no login limits either (LoginRateLimitTests cover them).
            builder.UseSetting("GraphQL:AuthAttemptsPerUsername", "0");
            builder.UseSetting("GraphQL:AuthAttemptsPerAddress", "0");
            builder.UseSetting("Logging:LogLevel:Default", Environment.GetEnvironmentVariable("EVENTSTORE_TEST_LOG_LEVEL") ?? "Warning");
            Configure(builder);
        });
        Changes = await DatabaseChanges.ListenAsync(ConnectionString);
    }

    /// <summary>Announces every commit that appended events or moved Wolverine's inbox in this fixture's database.</summary>
    public DatabaseChanges Changes { get; private set; } = null!;

    /// <summary>
    /// Another node of the same cluster: an app host on this fixture's database that serves the API but leaves the
    /// projections to the fixture's host. The caller disposes it.
    /// </summary>
    public Task<IAlbaHost> StartSecondNodeAsync(params (string Key, string Value)[] settings) => StartNodeAsync(ConnectionString,
    [
        ("MarketData:Enabled", "false"),
        ("Trading:SeedInstruments", "false"),
        ("EventStore:RunProjections", "false"), // the fixture's host projects; this one only serves
        ("Reconciliation:Interval", "00:00:00"),
        .. settings,
    ]);

    /// <summary>
    /// An app host on <paramref name="connectionString"/> with the run's fixed keys (so every node opens the same data
    /// and accepts the same tokens) and the given settings. The caller disposes it.
    /// </summary>
    public static Task<IAlbaHost> StartNodeAsync(string connectionString, params (string Key, string Value)[] settings) =>
        AlbaHost.For<Program>(builder =>
        {
            builder.UseSetting("ConnectionStrings:Postgres", connectionString);
            builder.UseSetting("Jwt:SigningKey", SigningKey);
            builder.UseSetting("PersonalData:KeyEncryptionKey", PersonalDataKey);
            builder.UseSetting("Analytics:PseudonymKey", AnalyticsPseudonymKey);
            // No login limits unless a test sets them (LoginRateLimitTests): tests log in often from one address.
            builder.UseSetting("GraphQL:AuthAttemptsPerUsername", "0");
            builder.UseSetting("GraphQL:AuthAttemptsPerAddress", "0");
            builder.UseSetting("Auth:Mfa:RequiredRoles", "none");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        });

    /// <summary>Extra settings of a derived fixture (another collection, its own host and database).</summary>
    protected virtual void Configure(IWebHostBuilder builder)
    {
    }

    /// <summary>Empties every table and re-runs the start-up seeding (admin, instruments): each test starts the same.</summary>
    public async Task ResetAsync()
    {
        await SettleAsync();
        await Host.ResetEventStoreAsync();
        // Projection tables outside Marten's documents (search, analytics): Marten's reset leaves them alone.
        await using (var connection = new Npgsql.NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var truncate = new Npgsql.NpgsqlCommand("truncate " + string.Join(", ",
                [EventStore.Projections.Search.SearchTable.Name, .. EventStore.Projections.Analytics.AnalyticsTables.AllTables]), connection);
            await truncate.ExecuteNonQueryAsync();
        }

        var bootstrapper = Host.Services.GetServices<IHostedService>().OfType<AdminBootstrapper>().Single();
        await bootstrapper.StartedAsync(CancellationToken.None);
        await InstrumentSeeder.SeedAsync(Host.Services, CancellationToken.None);
    }

    /// <summary>
    /// Waits until the work already caused has finished: the projections have caught up, the integration events the
    /// relay published have been handled (they travel through Wolverine's durable local queues, as do the deliveries
    /// the handlers cascade), and the projections have caught up with what the handlers appended (notifications).
    /// Before a reset, so that the previous test's work does not land in the next test's data. The inbox is re-counted
    /// at each change of it (<see cref="Changes"/>). Bounded and best effort: a message left failing for good by a test
    /// must not stop the ones after it.
    /// </summary>
    public async Task SettleAsync()
    {
        try
        {
            await WaitForProjectionsAsync();
            await using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var find = new Npgsql.NpgsqlCommand(
                "select table_schema from information_schema.tables where table_name = 'wolverine_incoming_envelopes'", connection);
            if (await find.ExecuteScalarAsync() is not string schema)
            {
                return;
            }

            await using var pending = new Npgsql.NpgsqlCommand(
                $"select count(*) from \"{schema}\".wolverine_incoming_envelopes where status = 'Incoming'", connection);
            await Changes.Changed.TryWaitUntilAsync(async () => (long)(await pending.ExecuteScalarAsync())! == 0, TimeSpan.FromSeconds(30));
            await WaitForProjectionsAsync();
        }
        catch (TimeoutException)
        {
            // A projection that cannot catch up: the test that broke it has already failed.
        }
    }

    public Task WaitForProjectionsAsync() => Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));

    /// <summary>
    /// Every domain event in the store, in sequence order. Marten's tombstones are left out: after a failed commit Marten
    /// writes one to fill the sequence numbers the failed transaction used (docs/events.md); they are not facts.
    /// </summary>
    /// <summary>Opens a sealed value as the app would (null once its subject is erased).</summary>
    public async Task<string?> OpenAsync(EventStore.Domain.Privacy.SealedText? value)
    {
        if (value is null)
        {
            return null;
        }

        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var protector = Host.Services.GetRequiredService<EventStore.Domain.Privacy.PersonalDataProtector>();
        return (await protector.OpenerAsync(session, [value.Subject], CancellationToken.None)).Open(value);
    }

    public async Task<IReadOnlyList<IEvent>> AllEventsAsync()
    {
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var events = await session.Events.QueryAllRawEvents().OrderBy(x => x.Sequence).ToListAsync();
        return events.Where(e => e.Data is not Tombstone).ToList();
    }

    public virtual async Task DisposeAsync()
    {
        if (Changes is not null)
        {
            await Changes.DisposeAsync();
        }

        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "app";
}
