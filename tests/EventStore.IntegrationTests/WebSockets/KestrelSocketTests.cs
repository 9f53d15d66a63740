using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using EventStore.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EventStore.IntegrationTests.WebSockets;

/// <summary>
/// The app on Kestrel, on a loopback port, so a network client (System.Net.WebSockets.ClientWebSocket) goes
/// through the real HTTP upgrade and TCP framing. Its buffers are kept small so that a client that stops reading
/// fills them with a few hundred messages, not megabytes: an outbound queue of <see cref="SendQueueLength"/> messages
/// (`GraphQL:WebSocketSendQueueLength`), a 16 KiB Kestrel response buffer, and an 8 KiB kernel send buffer on the
/// listening socket (accepted sockets inherit it, which also turns off Linux's autotuning that would otherwise let one
/// socket hold megabytes). A closed slow reader's close frame may wait up to five minutes for it to read
/// (`GraphQL:WebSocketCloseTimeout`).
/// </summary>
public sealed class KestrelAppFixture : IAsyncLifetime
{
    public const int SendQueueLength = 256;

    private WebApplicationFactory<Program>? _factory;

    /// <summary>The app's log, so a failed start says why (<see cref="KestrelLoopback"/>).</summary>
    public LogRecorder Log { get; } = new();

    public Uri SocketUri { get; private set; } = null!;

    public Uri HttpUri { get; private set; } = null!;

    public IServiceProvider Services => _factory!.Services;

    /// <summary>GraphQL over HTTP to the Kestrel port: the same requests a front-end sends.</summary>
    public GraphQLClient Http => new(() => new HttpClient { BaseAddress = HttpUri });

    public async Task InitializeAsync()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("es_kestrel");
        // WebApplicationFactory hands the settings to Program as `--key=value` arguments; JasperFx's command line
        // rejects those it does not know (a base64 value's `=` padding) unless told a test host is starting. Alba sets
        // this too, so without it the fixture only worked when an Alba host had started first in the same process.
        JasperFx.CommandLine.JasperFxEnvironment.AutoStartHost = true;
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("ConnectionStrings:Postgres", connectionString);
            builder.UseSetting("Jwt:SigningKey", AppFixture.SigningKey);
            builder.UseSetting("GraphQL:AuthAttemptsPerUsername", "0"); // no login limits here (LoginRateLimitTests)
            builder.UseSetting("GraphQL:AuthAttemptsPerAddress", "0");
            builder.UseSetting("PersonalData:KeyEncryptionKey", AppFixture.PersonalDataKey);
            builder.UseSetting("Bootstrap:AdminUsername", AppFixture.AdminUsername);
            // Tests log in with a password only; MfaTests turn the second factor on for themselves.
            builder.UseSetting("Auth:Mfa:RequiredRoles", "none");
            builder.UseSetting("Bootstrap:AdminPassword", AppFixture.AdminPassword);
            builder.UseSetting("MarketData:Enabled", "false");
            builder.UseSetting("GraphQL:WebSocketSendQueueLength", SendQueueLength.ToString(CultureInfo.InvariantCulture));
            // The slow-reader test reads its socket only after a burst of several seconds (more on a busy machine).
            builder.UseSetting("GraphQL:WebSocketCloseTimeout", "00:05:00");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.ConfigureLogging(logging => logging.AddProvider(Log));
            builder.ConfigureServices(services => services.Configure<SocketTransportOptions>(transport =>
                transport.CreateBoundListenSocket = endpoint =>
                {
                    var socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
                    socket.SendBufferSize = 8 * 1024;
                    return socket;
                }));
        });
        (HttpUri, SocketUri) = KestrelLoopback.Start(_factory, Log, kestrel => kestrel.Limits.MaxResponseBufferSize = 16 * 1024);
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }
}

public sealed class KestrelSocketTests(KestrelAppFixture app) : IClassFixture<KestrelAppFixture>
{
    [Fact]
    public async Task a_network_client_gets_ack_then_next_and_complete_for_a_query()
    {
        using var socket = await ConnectAsync();
        Assert.Equal("graphql-transport-ws", socket.SubProtocol);

        await SendAsync(socket, """{"type":"connection_init","payload":{}}""");
        Assert.Equal("connection_ack", (await ReceiveAsync(socket))!.Str("type"));
        await SendAsync(socket, """{"id":"1","type":"subscribe","payload":{"query":"{ __typename }"}}""");

        var next = (await ReceiveAsync(socket))!;
        Assert.Equal("next", next.Str("type"));
        Assert.Equal("Query", next["payload"]!["data"]!.Str("__typename"));
        Assert.Equal("complete", (await ReceiveAsync(socket))!.Str("type"));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
    }

    [Fact]
    public async Task a_network_client_with_a_bad_token_is_closed_with_4403()
    {
        using var socket = await ConnectAsync();

        await SendAsync(socket, """{"type":"connection_init","payload":{"authorization":"Bearer nope"}}""");

        Assert.Null(await ReceiveAsync(socket));
        Assert.Equal(4403, (int)socket.CloseStatus!.Value);
        Assert.Equal("Forbidden", socket.CloseStatusDescription);
    }

    private async Task<ClientWebSocket> ConnectAsync()
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("graphql-transport-ws");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await socket.ConnectAsync(app.SocketUri, timeout.Token);
        return socket;
    }

    private static async Task SendAsync(WebSocket socket, string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
    }

    /// <summary>The next message, or null once the server has closed (its close frame answered).</summary>
    private static async Task<JsonObject?> ReceiveAsync(WebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var buffer = new MemoryStream();
        var chunk = new byte[8 * 1024];
        while (true)
        {
            var received = await socket.ReceiveAsync(chunk, timeout.Token);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                return null;
            }

            buffer.Write(chunk, 0, received.Count);
            if (received.EndOfMessage)
            {
                return JsonNode.Parse(Encoding.UTF8.GetString(buffer.ToArray()))!.AsObject();
            }
        }
    }
}
