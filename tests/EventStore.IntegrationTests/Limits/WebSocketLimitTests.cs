using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.WebSockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EventStore.IntegrationTests.Limits;

/// <summary>
/// The app on Kestrel on a loopback port, with an Origin allow-list, login limits and a per-connection message rate:
/// every test goes through the real HTTP upgrade and TCP framing (issue 16: mutations over the WebSocket were not rate
/// limited, and the upgrade's Origin was not checked).
/// </summary>
public sealed class LimitedKestrelFixture : IAsyncLifetime
{
    public const string AllowedOrigin = "https://app.example.test";
    public const int LoginsPerUsername = 5;
    public const int MessagesPerSecond = 300;

    private WebApplicationFactory<Program>? _factory;

    /// <summary>The app's log, so a failed start says why (<see cref="KestrelLoopback"/>).</summary>
    public LogRecorder Log { get; } = new();

    public Uri SocketUri { get; private set; } = null!;

    public Uri HttpUri { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("es_wslimits");
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("ConnectionStrings:Postgres", connectionString);
            builder.UseSetting("Jwt:SigningKey", AppFixture.SigningKey);
            builder.UseSetting("PersonalData:KeyEncryptionKey", AppFixture.PersonalDataKey);
            builder.UseSetting("Bootstrap:AdminUsername", AppFixture.AdminUsername);
            builder.UseSetting("Bootstrap:AdminPassword", AppFixture.AdminPassword);
            builder.UseSetting("MarketData:Enabled", "false");
            builder.UseSetting("Cors:AllowedOrigins", AllowedOrigin + ", https://other.example.test");
            builder.UseSetting("GraphQL:AuthAttemptsPerUsername", LoginsPerUsername.ToString(CultureInfo.InvariantCulture));
            builder.UseSetting("GraphQL:AuthAttemptsPerAddress", "0");
            builder.UseSetting("GraphQL:AnonymousRequestsPerMinute", "0");
            builder.UseSetting("GraphQL:WebSocketMaxOperations", "500");
            builder.UseSetting("GraphQL:WebSocketMessagesPerSecond", MessagesPerSecond.ToString(CultureInfo.InvariantCulture));
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.ConfigureLogging(logging => logging.AddProvider(Log));
        });
        (HttpUri, SocketUri) = KestrelLoopback.Start(_factory, Log);
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }
}

public sealed class WebSocketLimitTests(LimitedKestrelFixture app) : IClassFixture<LimitedKestrelFixture>
{
    [Fact]
    public async Task two_hundred_logins_over_one_websocket_are_rate_limited_after_the_limit()
    {
        await using var client = await GraphQLWebSocketClient.ConnectAndInitAsync(app.SocketUri, payload: null);
        for (var i = 0; i < 200; i++)
        {
            await client.SubscribeAsync(i.ToString(CultureInfo.InvariantCulture),
                "mutation($p: String!) { login(input: {username: \"ws-victim\", password: $p}) { token } }",
                new { p = $"guess-{i:D4}-wrong" });
        }

        var rateLimited = 0;
        var attempted = 0;
        for (var ended = 0; ended < 200;)
        {
            var message = await client.ReceiveAsync();
            switch (message.Str("type"))
            {
                case "error":
                    Assert.Equal("RATE_LIMITED", message["payload"]![0]!["extensions"]!["code"]!.GetValue<string>());
                    Assert.True(message["payload"]![0]!["extensions"]!["retryAfter"]!.GetValue<int>() >= 1);
                    rateLimited++;
                    ended++;
                    break;
                case "next":
                    Assert.Equal("UNAUTHENTICATED", message["payload"]!["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
                    attempted++;
                    break;
                case "complete":
                    ended++;
                    break;
            }
        }

        Assert.Equal(LimitedKestrelFixture.LoginsPerUsername, attempted);
        Assert.Equal(200 - LimitedKestrelFixture.LoginsPerUsername, rateLimited);
    }

    [Fact]
    public async Task an_upgrade_from_an_origin_not_on_the_list_is_refused_with_403()
    {
        using var socket = NewSocket("https://evil.example.test");

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => ConnectAsync(socket));

        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
        Assert.NotNull(refused);
    }

    [Theory]
    [InlineData(LimitedKestrelFixture.AllowedOrigin)]
    [InlineData(null)] // a non-browser client sends no Origin
    public async Task an_upgrade_from_an_allowed_origin_or_without_origin_is_accepted(string? origin)
    {
        using var socket = NewSocket(origin);

        await ConnectAsync(socket);

        Assert.Equal(WebSocketState.Open, socket.State);
        Assert.Equal("graphql-transport-ws", socket.SubProtocol);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
    }

    [Fact]
    public async Task http_cors_allows_the_listed_origin_and_not_others()
    {
        using var http = new HttpClient { BaseAddress = app.HttpUri };

        var allowed = await PreflightAsync(http, LimitedKestrelFixture.AllowedOrigin);
        var other = await PreflightAsync(http, "https://evil.example.test");

        Assert.Equal(LimitedKestrelFixture.AllowedOrigin, allowed);
        Assert.Null(other);
    }

    [Fact]
    public async Task a_connection_sending_faster_than_the_message_rate_is_closed_with_1008()
    {
        await using var client = await GraphQLWebSocketClient.ConnectAndInitAsync(app.SocketUri, payload: null);

        // Far beyond the bucket (two seconds' worth); the server closes while or soon after they arrive.
        try
        {
            for (var i = 0; i < LimitedKestrelFixture.MessagesPerSecond * 10; i++)
            {
                await client.SendRawAsync("""{"type":"ping"}""");
            }
        }
        catch (WebSocketException)
        {
            // The server closed while we were still sending.
        }

        var (_, code, reason) = await client.ReceiveUntilCloseAsync();
        Assert.Equal(1008, code);
        Assert.Equal("Too many messages", reason);
    }

    private static ClientWebSocket NewSocket(string? origin)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("graphql-transport-ws");
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        return socket;
    }

    private async Task ConnectAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await socket.ConnectAsync(app.SocketUri, timeout.Token);
    }

    private static async Task<string?> PreflightAsync(HttpClient http, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "graphql");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type, authorization");
        using var response = await http.SendAsync(request);
        return response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null;
    }
}
