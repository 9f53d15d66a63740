using System.Net.WebSockets;
using System.Text;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.WebSockets;

namespace EventStore.IntegrationTests.Api.Malformed;

/// <summary>
/// Issue 15 item 5 over graphql-transport-ws, on a real socket: a message the HTTP transport would answer with 400
/// closes with 4400; a document GraphQL refuses gets an `error` and the connection goes on; a text frame that is not
/// UTF-8 gets the WebSocket layer's 1007. Nothing is logged at Error and the app stays ready.
/// </summary>
[Collection(MalformedRequestCollection.Name)]
public sealed class MalformedWebSocketMessageTests(MalformedRequestFixture app) : IAsyncLifetime
{
    private readonly MalformedRequests requests = new(app);
    private int _mark;

    public Task InitializeAsync()
    {
        _mark = app.Log.Entries.Count;
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => requests.AssertHealthyAsync(_mark);

    public static TheoryData<string, string> MalformedMessages() => new()
    {
        { Subscribe("{ __typename }", "{\"x\":" + new string('[', 100) + new string(']', 100) + "}"), "not JSON" },
        { """{"type":"subscribe","id":"1","id":"2","payload":{"query":"{ __typename }"}}""", "not JSON" },
        { Subscribe("{ __typename }", "{\"x\":1,\"x\":2}"), "not JSON" },
        { Subscribe("{ __typename }", "{\"x\":" + new string('9', 200) + "}"), "A number has more than 100 characters." },
        { Subscribe("{ __typename }", "{\"x\":\"\\ud800\"}"), "A string has an unpaired surrogate escape" },
        { """{"type":"subscribe","id":"1","payload":{"query":"{ __typename }","operationName":{}}}""", "'operationName' has the wrong type" },
    };

    [Theory]
    [MemberData(nameof(MalformedMessages))]
    public async Task a_message_the_http_transport_would_answer_with_400_closes_with_4400(string message, string reason)
    {
        await using var client = await ConnectAsync();

        await client.SendRawAsync(message);

        var (code, text) = await client.ExpectCloseAsync();
        Assert.Equal(4400, code);
        Assert.StartsWith("Invalid message received: " + reason, text, StringComparison.Ordinal);
    }

    public static TheoryData<string> RefusedDocuments() => new()
    {
        string.Concat(Enumerable.Repeat("{a", 100)) + new string('}', 100), // too deep for the parser
        "\r{", // trips GraphQL-Parser while it describes the syntax error
        "{ __type(name: \"\\ud800\") { name } }", // an unpaired surrogate escape
        "{ __type(name: \"x\") { name } ", // a plain syntax error
    };

    [Theory]
    [MemberData(nameof(RefusedDocuments))]
    public async Task a_document_graphql_refuses_gets_an_error_and_the_connection_goes_on(string query)
    {
        await using var client = await ConnectAsync();

        await client.SubscribeAsync("1", query);

        var error = await client.ReceiveAsync();
        Assert.Equal("error", error.Str("type"));
        Assert.Null(ResponseChecks.CheckMessage(error.ToJsonString()));
        Assert.Equal("VALIDATION", error["payload"]![0]!["extensions"]!["code"]!.GetValue<string>());
        await client.SendRawAsync("""{"type":"ping","payload":{"still":"open"}}""");
        Assert.Equal("pong", (await client.ReceiveAsync()).Str("type"));
    }

    [Fact]
    public async Task an_empty_type_name_is_a_validation_error_in_next_then_complete()
    {
        await using var client = await ConnectAsync();

        await client.SubscribeAsync("1", "query($n: String!) { __type(name: $n) { name } }", new { n = "" });

        var next = await client.ReceiveAsync();
        Assert.Equal("next", next.Str("type"));
        Assert.Equal("VALIDATION", next["payload"]!["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal("complete", (await client.ReceiveAsync()).Str("type"));
    }

    [Fact]
    public async Task a_text_frame_that_is_not_utf8_is_closed_with_1007()
    {
        await using var client = await ConnectAsync();
        byte[] frame = [.. Encoding.UTF8.GetBytes("{\"type\":\"ping\",\"payload\":{\"a\":\""), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\"}}")];

        await client.Socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

        var (code, _) = await client.ExpectCloseAsync();
        Assert.Equal(1007, code);
    }

    private static string Subscribe(string query, string variables) =>
        "{\"type\":\"subscribe\",\"id\":\"1\",\"payload\":{\"query\":\"" + query + "\",\"variables\":" + variables + "}}";

    private Task<GraphQLWebSocketClient> ConnectAsync() => GraphQLWebSocketClient.ConnectAndInitAsync(app.SocketUri, payload: null);
}
