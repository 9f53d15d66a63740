using Alba;
using EventStore.Api.Auth;
using EventStore.Api.Hosting;
using EventStore.Api.Integration;
using EventStore.Contracts;
using EventStore.IntegrationTests.Infrastructure;
using Marten;
using Marten.Events;
using JasperFx.Events;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WireMock.Server;

namespace EventStore.IntegrationTests.Integration;

/// <summary>
/// The app with Kafka on: librdkafka's mock cluster as the broker (loopback TCP), and WireMock.Net standing in for the
/// e-mail (SendGrid-style) and SMS (Twilio-style) providers. One host for the collection, like <see cref="AppFixture"/>.
/// </summary>
public sealed class KafkaFixture : IAsyncLifetime
{
    public KafkaMockCluster Kafka { get; } = new();

    public WireMockServer Providers { get; } = WireMockServer.Start();

    public IAlbaHost Host { get; private set; } = null!;

    public string ConnectionString { get; private set; } = "";

    /// <summary>What the app logs at Warning and above (Wolverine's send failures and paused senders), for failure messages.</summary>
    public LogRecorder Log { get; } = new();

    public static string Topic(string module) => KafkaOptions.DefaultTopic(module);

    public async Task InitializeAsync()
    {
        // Topics first: the mock cannot create them on Wolverine's request, and listeners need them to exist.
        Kafka.CreateTopics([.. IntegrationModules.All.Select(Topic)]);
        var connectionString = ConnectionString = await TestPostgres.CreateDatabaseAsync("es_kafka");
        Host = await AlbaHost.For<Program>(builder =>
        {
            builder.UseSetting("ConnectionStrings:Postgres", connectionString);
            builder.UseSetting("Jwt:SigningKey", AppFixture.SigningKey);
            builder.UseSetting("GraphQL:AuthAttemptsPerUsername", "0"); // no login limits here (LoginRateLimitTests)
            builder.UseSetting("GraphQL:AuthAttemptsPerAddress", "0");
            // Every test registers and logs in from one address: no anonymous request limit (RateLimitTests covers it).
            builder.UseSetting("GraphQL:AnonymousRequestsPerMinute", "0");
            builder.UseSetting("Bootstrap:AdminUsername", AppFixture.AdminUsername);
            // Tests log in with a password only; MfaTests turn the second factor on for themselves.
            builder.UseSetting("Auth:Mfa:RequiredRoles", "none");
            builder.UseSetting("Bootstrap:AdminPassword", AppFixture.AdminPassword);
            builder.UseSetting("MarketData:Enabled", "false");
            builder.UseSetting("Kafka:BootstrapServers", Kafka.BootstrapServers);
            builder.UseSetting("Notifications:Email:BaseUrl", Providers.Url + "/");
            builder.UseSetting("Notifications:Email:ApiKey", "test-key");
            builder.UseSetting("Notifications:Resilience:BaseDelay", "00:00:00.010");
            builder.UseSetting("Logging:LogLevel:Default", Environment.GetEnvironmentVariable("EVENTSTORE_TEST_LOG_LEVEL") ?? "Warning");
            builder.ConfigureLogging(logging => logging.AddProvider(Log));
        });
        Changes = await DatabaseChanges.ListenAsync(connectionString);
    }

    /// <summary>Announces every commit that appended events or moved Wolverine's inbox in this fixture's database.</summary>
    public DatabaseChanges Changes { get; private set; } = null!;

    public async Task ResetAsync()
    {
        Kafka.BrokerUp();
        Providers.Reset();
        await Host.ResetEventStoreAsync();
        var bootstrapper = Host.Services.GetServices<IHostedService>().OfType<AdminBootstrapper>().Single();
        await bootstrapper.StartedAsync(CancellationToken.None);
        await InstrumentSeeder.SeedAsync(Host.Services, CancellationToken.None);
    }

    public Task WaitForProjectionsAsync() => Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

    public async Task DisposeAsync()
    {
        if (Changes is not null)
        {
            await Changes.DisposeAsync();
        }

        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        Providers.Stop();
        Kafka.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class KafkaCollection : ICollectionFixture<KafkaFixture>
{
    public const string Name = "kafka";
}
