using EventStore.IntegrationTests.Infrastructure;

namespace EventStore.IntegrationTests.WebSockets;

/// <summary>The graphql-transport-ws connection rules (PROTOCOL.md of enisdenjo/graphql-ws) and their close codes.</summary>
[Collection(WebSocketCollection.Name)]
public sealed class ConnectionProtocolTests(WebSocketFixture app)
{
    [Fact]
    public async Task connection_init_is_acknowledged_on_the_graphql_transport_ws_subprotocol()
    {
        await using var client = await GraphQLWebSocketClient.ConnectAsync(app.Host);
        Assert.Equal("graphql-transport-ws", client.Socket.SubProtocol);

        await client.SendAsync(new { type = "connection_init" });

        var ack = await client.ReceiveAsync();
        Assert.Equal("connection_ack", ack.Str("type"));
    }

    [Fact]
    public async Task ping_is_answered_with_a_pong_echoing_its_payload_and_a_pong_is_ignored()
    {
        await using var client = await GraphQLWebSocketClient.ConnectAndInitAsync(app.Host);

        await client.SendAsync(new { type = "pong", payload = new { ignored = true } });
        await client.SendAsync(new { type = "ping", payload = new { seq = 7 } });

        var pong = await client.ReceiveAsync();
        Assert.Equal("pong", pong.Str("type"));
        Assert.Equal(7, pong["payload"]!["seq"]!.GetValue<int>());
    }

    [Fact]
    public async Task ping_before_connection_init_is_answered_too()
    {
        await using var client = await GraphQLWebSocketClient.ConnectAsync(app.Host);

        await client.SendAsync(new { type = "ping" });

        var pong = await client.ReceiveAsync();
        Assert.Equal("pong", pong.Str("type"));
        Assert.Null(pong["payload"]);
    }

    [Fact]
    public async Task a_socket_without_the_subprotocol_is_closed_with_4406()
    {
        await using var client = await GraphQLWebSocketClient.ConnectAsync(app.Host, subProtocol: "graphql-ws");

        var (code, reason) = await client.ExpectCloseAsync();

        Assert.Equal(4406, code);
        Assert.Equal("Subprotocol not acceptable", reason);
    }

    [Fact]
    public async Task no_connection_init_in_time_closes_with_4408()
    {
        await using var client = await GraphQLWebSocketClient.ConnectAsync(app.Host);

        var (code, reason) = await client.ExpectCloseAsync(); // GraphQL:WebSocketInitTimeout is one second here

        Assert.Equal(4408, code);
        Assert.Equal("Connection initialisation timeout", reason);
    }

    [Fact]
    public async Task a_second_connection_init_closes_with_4429()
    {
        await using var client = await GraphQLWebSocketClient.ConnectAndInitAsync(app.Host);

        await client.SendAsync(new { type = "connection_init" });

        var (code, reason) = await client.ExpectCloseAsync();
        Assert.Equal(4429, code);
        Assert.Equal("Too many initialisation requests", reason);
    }

    [Fact]
    public async Task subscribe_before_connection_ack_closes_with_4401()
    {
        await using var client = await GraphQLWebSocketClient.ConnectAsync(app.Host);

        await client.SubscribeAsync("1", "{ __typename }");

        var (code, reason) = await client.ExpectCloseAsync();
        Assert.Equal(4401, code);
        Assert.Equal("Unauthorized", reason);
    }

    [Theory]
    [InlineData("this is not json")]
    [InlineData("""{"type":"ping"} {"type":"ping"}""")]
    [InlineData("[]")]
    [InlineData("""{"payload":{}}""")]
    [InlineData("""{"type":"unknown"}""")]
    [InlineData("""{"type":"next","id":"1","payload":{}}""")]
    [InlineData("""{"type":"subscribe","payload":{"query":"{ __typename }"}}""")]
    [InlineData("""{"type":"subscribe","id":"","payload":{"query":"{ __typename }"}}""")]
    [InlineData("""{"type":"subscribe","id":"1"}""")]
    [InlineData("""{"type":"subscribe","id":"1","payload":{"variables":{}}}""")]
    [InlineData("""{"type":"subscribe","id":"1","payload":{"query":"{ __typename }","variables":[]}}""")]
    [InlineData("""{"type":"complete"}""")]
    [InlineData("""{"type":"ping","payload":"not an object"}""")]
    public async Task a_malformed_message_closes_with_4400_and_a_reason(string message)
    {
        await using var client = await GraphQLWebSocketClient.ConnectAndInitAsync(app.Host);

        await client.SendRawAsync(message);

        var (code, reason) = await client.ExpectCloseAsync();
        Assert.Equal(4400, code);
        Assert.StartsWith("Invalid message received", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_message_over_the_size_limit_closes_with_1009()
    {
        await using var client = await GraphQLWebSocketClient.ConnectAndInitAsync(app.Host);

        // GraphQL:MaxRequestBytes defaults to 64 KiB.
        await client.SubscribeAsync("big", "{ __typename }" + new string(' ', 70 * 1024));

        var (code, reason) = await client.ExpectCloseAsync();
        Assert.Equal(1009, code);
        Assert.Equal("Message too big", reason);
    }

    [Fact]
    public async Task a_present_but_invalid_token_in_connection_init_closes_with_4403()
    {
        await using var client = await GraphQLWebSocketClient.ConnectAsync(app.Host);

        await client.SendAsync(new { type = "connection_init", payload = new { authorization = "Bearer not.a.jwt" } });

        var (code, reason) = await client.ExpectCloseAsync();
        Assert.Equal(4403, code);
        Assert.Equal("Forbidden", reason);
    }
}
