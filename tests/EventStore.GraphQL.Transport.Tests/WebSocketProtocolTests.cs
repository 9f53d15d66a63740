using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;

namespace EventStore.GraphQL.Transport.Tests;

/// <summary>The graphql-transport-ws protocol on a real socket: handshake, operations, and the close codes of its rules.</summary>
public sealed class WebSocketProtocolTests(TransportHostFixture fixture) : IClassFixture<TransportHostFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private TransportHost Host => fixture.Host;

    [Fact]
    public async Task connection_init_is_acknowledged_and_a_ping_gets_a_pong_with_its_payload()
    {
        await using var client = await SocketClient.ConnectAndInitAsync(Host.SocketUri);

        await client.SendAsync(new { type = "ping", payload = new { n = 7 } });
        var pong = await client.ReceiveAsync();

        Assert.Equal("pong", pong?["type"]?.GetValue<string>());
        Assert.Equal(7, pong?["payload"]?["n"]?.GetValue<int>());
    }

    [Fact]
    public async Task a_subscription_streams_next_messages_then_complete()
    {
        await using var client = await SocketClient.ConnectAndInitAsync(Host.SocketUri);

        await client.SubscribeAsync("s1", "subscription { count(to: 3) }");
        var messages = new[] { await client.ReceiveAsync(), await client.ReceiveAsync(), await client.ReceiveAsync(), await client.ReceiveAsync() };

        Assert.All(messages, m => Assert.Equal("s1", m?["id"]?.GetValue<string>()));
        Assert.Equal(["next", "next", "next", "complete"], messages.Select(m => m?["type"]?.GetValue<string>()));
        Assert.Equal([1, 2, 3], messages.Take(3).Select(m => m?["payload"]?["data"]?["count"]?.GetValue<int>() ?? 0));
    }

    [Fact]
    public async Task a_query_gets_one_next_then_complete()
    {
        await using var client = await SocketClient.ConnectAndInitAsync(Host.SocketUri);

        await client.SubscribeAsync("q1", "{ hello(name: \"socket\") }");
        var next = await client.ReceiveAsync();
        var complete = await client.ReceiveAsync();

        Assert.Equal("next", next?["type"]?.GetValue<string>());
        Assert.Equal("Hello, socket", next?["payload"]?["data"]?["hello"]?.GetValue<string>());
        Assert.Equal("complete", complete?["type"]?.GetValue<string>());
        Assert.Equal("q1", complete?["id"]?.GetValue<string>());
    }

    /// <summary>
    /// An <see cref="Microsoft.AspNetCore.Http.HttpContext"/> is not thread-safe, and the operations of one socket run at
    /// once: two of them reading the upgrade request's connection at the same moment have read a null (a 4500 close in
    /// CI). The connection reads what it needs of that request (the client's address) once, when it starts.
    /// </summary>
    [Fact]
    public async Task operations_of_one_socket_never_read_the_upgrade_request_s_connection()
    {
        var reads = 0;
        await using var host = await TransportHost.StartAsync(app => app.Use((http, next) =>
        {
            var original = http.Features.Get<IHttpConnectionFeature>()!;
            http.Features.Set<IHttpConnectionFeature>(new CountingConnectionFeature(original, () => Interlocked.Increment(ref reads)));
            return next(http);
        }));
        await using var client = await SocketClient.ConnectAndInitAsync(host.SocketUri);
        var readsBeforeOperations = Volatile.Read(ref reads);

        for (var i = 0; i < 3; i++)
        {
            await client.SubscribeAsync($"q{i}", "{ hello(name: \"socket\") }");
        }

        var types = new List<string?>();
        for (var i = 0; i < 6; i++)
        {
            types.Add((await client.ReceiveAsync())?["type"]?.GetValue<string>());
        }

        Assert.Equal(3, types.Count(t => t == "complete"));
        Assert.Equal(readsBeforeOperations, Volatile.Read(ref reads));
    }

    /// <summary>The connection feature as it was, counting every read of the client's address.</summary>
    private sealed class CountingConnectionFeature(IHttpConnectionFeature inner, Action read) : IHttpConnectionFeature
    {
        public string ConnectionId { get => inner.ConnectionId; set => inner.ConnectionId = value; }

        public IPAddress? RemoteIpAddress
        {
            get
            {
                read();
                return inner.RemoteIpAddress;
            }
            set => inner.RemoteIpAddress = value;
        }

        public IPAddress? LocalIpAddress { get => inner.LocalIpAddress; set => inner.LocalIpAddress = value; }

        public int RemotePort { get => inner.RemotePort; set => inner.RemotePort = value; }

        public int LocalPort { get => inner.LocalPort; set => inner.LocalPort = value; }
    }

    [Fact]
    public async Task a_document_over_the_limits_gets_one_error_message_and_the_connection_stays_open()
    {
        await using var client = await SocketClient.ConnectAndInitAsync(Host.SocketUri);

        await client.SubscribeAsync("a1", "{ a: hello b: hello c: hello d: hello }");
        var error = await client.ReceiveAsync();
        await client.SendAsync(new { type = "ping" });
        var pong = await client.ReceiveAsync();

        Assert.Equal("error", error?["type"]?.GetValue<string>());
        Assert.Equal("a1", error?["id"]?.GetValue<string>());
        Assert.Equal("TOO_MANY_ALIASES", error?["payload"]?[0]?["extensions"]?["reason"]?.GetValue<string>());
        Assert.Equal("pong", pong?["type"]?.GetValue<string>());
    }

    [Fact]
    public async Task complete_from_the_client_ends_the_stream_on_the_server()
    {
        var key = Guid.NewGuid().ToString("N");
        await using var client = await SocketClient.ConnectAndInitAsync(Host.SocketUri);

        await client.SubscribeAsync("f1", $"subscription {{ forever(key: \"{key}\") }}");
        await Host.Probe.SubscribedAsync(key).WaitAsync(Wait);
        await client.SendAsync(new { id = "f1", type = "complete" });

        await Host.Probe.UnsubscribedAsync(key).WaitAsync(Wait);
    }

    [Fact]
    public async Task a_second_subscribe_with_a_running_id_closes_with_4409()
    {
        var key = Guid.NewGuid().ToString("N");
        await using var client = await SocketClient.ConnectAndInitAsync(Host.SocketUri);

        await client.SubscribeAsync("dup", $"subscription {{ forever(key: \"{key}\") }}");
        await Host.Probe.SubscribedAsync(key).WaitAsync(Wait);
        await client.SubscribeAsync("dup", "{ hello }");

        Assert.Equal(4409, await client.ReceiveCloseAsync());
        Assert.Equal("Subscriber for dup already exists", client.CloseReason);
        await Host.Probe.UnsubscribedAsync(key).WaitAsync(Wait); // closing ends the running subscription too
    }

    [Fact]
    public async Task an_unknown_message_type_closes_with_4400()
    {
        await using var client = await SocketClient.ConnectAndInitAsync(Host.SocketUri);

        await client.SendAsync(new { type = "next", id = "x" });

        Assert.Equal(4400, await client.ReceiveCloseAsync());
        Assert.Equal("Invalid message received: unexpected type 'next'", client.CloseReason);
    }

    [Fact]
    public async Task a_message_that_is_not_json_closes_with_4400()
    {
        await using var client = await SocketClient.ConnectAndInitAsync(Host.SocketUri);

        await client.SendTextAsync("{ not json");

        Assert.Equal(4400, await client.ReceiveCloseAsync());
        Assert.Equal("Invalid message received: not JSON", client.CloseReason);
    }

    [Fact]
    public async Task subscribe_before_the_ack_closes_with_4401()
    {
        await using var client = await SocketClient.ConnectAsync(Host.SocketUri);

        await client.SubscribeAsync("early", "{ hello }");

        Assert.Equal(4401, await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task a_second_connection_init_closes_with_4429()
    {
        await using var client = await SocketClient.ConnectAndInitAsync(Host.SocketUri);

        await client.SendAsync(new { type = "connection_init" });

        Assert.Equal(4429, await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task a_socket_without_the_subprotocol_is_closed_with_4406()
    {
        await using var client = await SocketClient.ConnectAsync(Host.SocketUri, subProtocol: null);

        Assert.Equal(4406, await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task an_upgrade_from_a_foreign_origin_is_refused_with_403()
    {
        var error = await Assert.ThrowsAsync<WebSocketException>(() =>
            SocketClient.ConnectAsync(Host.SocketUri, origin: "https://evil.example.test"));

        Assert.Contains(((int)HttpStatusCode.Forbidden).ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message,
            StringComparison.Ordinal);
    }
}

/// <summary>`GraphQL:WebSocketInitTimeout` on a host of its own with a short timeout: no `connection_init`, close 4408.</summary>
public sealed class WebSocketInitTimeoutTests
{
    [Fact]
    public async Task a_socket_that_never_sends_connection_init_is_closed_with_4408()
    {
        await using var host = await TransportHost.StartAsync(("GraphQL:WebSocketInitTimeout", "00:00:00.300"));
        await using var client = await SocketClient.ConnectAsync(host.SocketUri);

        Assert.Equal(4408, await client.ReceiveCloseAsync());
        Assert.Equal("Connection initialisation timeout", client.CloseReason);
    }
}
