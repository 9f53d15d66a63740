using System.Globalization;
using Alba;
using EventStore.Api.Auth;
using EventStore.Api.Hosting;
using EventStore.IntegrationTests.Infrastructure;
using JasperFx.Events;
using Marten;
using Marten.Events;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EventStore.IntegrationTests.WebSockets;

/// <summary>
/// The app host of the WebSocket tests: the same settings as <see cref="AppFixture"/>, plus a one-second
/// `GraphQL:WebSocketInitTimeout` so the 4408 test does not wait ten seconds, and room for only three operations at
/// once per connection.
/// </summary>
public sealed class WebSocketFixture : IAsyncLifetime
{
    public const string InitTimeout = "00:00:01";

    public const int MaxOperations = 3;

    public const int MaxSubscriptionsPerUser = 4;

    public IAlbaHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("es_wsock");
        Host = await AlbaHost.For<Program>(builder =>
        {
            builder.UseSetting("ConnectionStrings:Postgres", connectionString);
            builder.UseSetting("Jwt:SigningKey", AppFixture.SigningKey);
            builder.UseSetting("PersonalData:KeyEncryptionKey", AppFixture.PersonalDataKey);
            builder.UseSetting("Bootstrap:AdminUsername", AppFixture.AdminUsername);
            // Tests log in with a password only; MfaTests turn the second factor on for themselves.
            builder.UseSetting("Auth:Mfa:RequiredRoles", "none");
            builder.UseSetting("Bootstrap:AdminPassword", AppFixture.AdminPassword);
            builder.UseSetting("MarketData:Enabled", "false");
            // Every test registers and logs in from one address: no anonymous request limit (RateLimitTests covers it).
            builder.UseSetting("GraphQL:AnonymousRequestsPerMinute", "0");
            // Tests log the same users in many times from one address: no login limits either (LoginRateLimitTests cover them).
            builder.UseSetting("GraphQL:AuthAttemptsPerUsername", "0");
            builder.UseSetting("GraphQL:AuthAttemptsPerAddress", "0");
            builder.UseSetting("GraphQL:WebSocketInitTimeout", InitTimeout);
            builder.UseSetting("GraphQL:WebSocketMaxOperations", MaxOperations.ToString(CultureInfo.InvariantCulture));
            builder.UseSetting("GraphQL:WebSocketMaxSubscriptionsPerUser", MaxSubscriptionsPerUser.ToString(CultureInfo.InvariantCulture));
            builder.UseSetting("Logging:LogLevel:Default", Environment.GetEnvironmentVariable("EVENTSTORE_TEST_LOG_LEVEL") ?? "Warning");
        });
    }

    public async Task ResetAsync()
    {
        await Host.ResetEventStoreAsync();
        var bootstrapper = Host.Services.GetServices<IHostedService>().OfType<AdminBootstrapper>().Single();
        await bootstrapper.StartedAsync(CancellationToken.None);
        await InstrumentSeeder.SeedAsync(Host.Services, CancellationToken.None);
    }

    public async Task<IReadOnlyList<IEvent>> AllEventsAsync()
    {
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var events = await session.Events.QueryAllRawEvents().OrderBy(x => x.Sequence).ToListAsync();
        return events.Where(e => e.Data is not Tombstone).ToList();
    }

    public async Task DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class WebSocketCollection : ICollectionFixture<WebSocketFixture>
{
    public const string Name = "websockets";
}
