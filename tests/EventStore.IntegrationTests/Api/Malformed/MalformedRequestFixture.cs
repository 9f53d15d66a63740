using EventStore.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EventStore.IntegrationTests.Api.Malformed;

/// <summary>
/// The app on Kestrel on a loopback port, with its own database and a <see cref="LogRecorder"/>: hostile requests go
/// through the real HTTP parser (Content-Length, chunked bodies, raw bytes) and WebSocket framing, and a test can
/// check that none of them left an Error in the log. The rate limits are off: every request comes from one address.
/// </summary>
public sealed class MalformedRequestFixture : IAsyncLifetime
{
    private WebApplicationFactory<Program>? _factory;

    public LogRecorder Log { get; } = new();

    public Uri HttpUri { get; private set; } = null!;

    public Uri SocketUri { get; private set; } = null!;

    public IServiceProvider Services => _factory!.Services;

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var connectionString = ConnectionString = await TestPostgres.CreateDatabaseAsync("es_malformed");
        // WebApplicationFactory hands the settings to Program as `--key=value` arguments; JasperFx's command line
        // rejects those it does not know (a base64 value's `=` padding) unless told a test host is starting. Alba sets
        // this too, so without it the fixture only worked when an Alba host had started first in the same process.
        JasperFx.CommandLine.JasperFxEnvironment.AutoStartHost = true;
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("ConnectionStrings:Postgres", connectionString);
            builder.UseSetting("Jwt:SigningKey", AppFixture.SigningKey);
            builder.UseSetting("Auth:Mfa:RequiredRoles", "none");
            builder.UseSetting("GraphQL:AuthAttemptsPerUsername", "0");
            builder.UseSetting("GraphQL:AuthAttemptsPerAddress", "0");
            builder.UseSetting("PersonalData:KeyEncryptionKey", AppFixture.PersonalDataKey);
            builder.UseSetting("Bootstrap:AdminUsername", AppFixture.AdminUsername);
            builder.UseSetting("Bootstrap:AdminPassword", AppFixture.AdminPassword);
            builder.UseSetting("MarketData:Enabled", "false");
            // Every request comes from one address and a few users, far faster than a person: the rate limits
            // (RateLimitTests, LoginRateLimitTests, the WebSocket message rate) would answer most of the fuzz.
            builder.UseSetting("GraphQL:AnonymousRequestsPerMinute", "0");
            builder.UseSetting("GraphQL:RequestsPerMinutePerUser", "0");
            builder.UseSetting("GraphQL:WebSocketMessagesPerSecond", "100000");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.ConfigureLogging(logging => logging.AddProvider(Log));
        });
        (HttpUri, SocketUri) = KestrelLoopback.Start(_factory, Log);
    }

    public HttpClient CreateClient() => new() { BaseAddress = HttpUri, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Domain events in the store (Marten's tombstones left out, as in AppFixture): bad input appends none.</summary>
    public async Task<int> EventCountAsync()
    {
        await using var session = Services.GetRequiredService<Marten.IDocumentStore>().QuerySession();
        var events = await Marten.QueryableExtensions.ToListAsync(session.Events.QueryAllRawEvents());
        return events.Count(e => e.Data is not JasperFx.Events.Tombstone);
    }

    /// <summary>Errors logged since <paramref name="mark"/> (an earlier <c>Log.Entries.Count</c>).</summary>
    public IReadOnlyList<LogEntry> ErrorsSince(int mark) =>
        Log.Entries.Skip(mark).Where(e => e.Level >= LogLevel.Error).ToList();

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class MalformedRequestCollection : ICollectionFixture<MalformedRequestFixture>
{
    public const string Name = "malformed";
}

/// <summary>The fuzz gets a host and a database of its own: what it appends cannot disturb the regression tests.</summary>
[CollectionDefinition(Name)]
public sealed class FuzzCollection : ICollectionFixture<MalformedRequestFixture>
{
    public const string Name = "fuzz";
}
