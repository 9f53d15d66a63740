using System.Text;
using System.Text.Json.Nodes;

namespace EventStore.IntegrationTests.Api.Malformed;

/// <summary>
/// Issue 15 item 5, the HTTP layer of a request over Kestrel: sizes (with and without Content-Length, chunked), bodies
/// cut short, broken chunked framing, empty bodies, content types. A 4xx with a GraphQL error body, no Error logged.
/// </summary>
[Collection(MalformedRequestCollection.Name)]
public sealed class MalformedHttpFramingTests(MalformedRequestFixture app) : IAsyncLifetime
{
    private static readonly byte[] Huge = Encoding.UTF8.GetBytes(
        MalformedRequests.Body("query($s: String) { __typename }", "{\"s\":\"" + new string('a', 70 * 1024) + "\"}"));

    private readonly MalformedRequests requests = new(app);
    private int _mark;

    public Task InitializeAsync()
    {
        _mark = app.Log.Entries.Count;
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => requests.AssertHealthyAsync(_mark);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task a_body_over_the_limit_is_413_whether_it_has_a_content_length_or_comes_chunked(bool chunked)
    {
        var answer = await requests.PostAsync(Huge, chunked: chunked);

        Assert.Equal(413, answer.Status);
        Assert.Equal(["BAD_REQUEST"], answer.Codes);
        Assert.Equal("The request body exceeds 65536 bytes.", answer.Message);
    }

    [Fact]
    public async Task a_content_length_over_the_limit_is_413_before_the_body_is_sent()
    {
        var (status, _, body) = await RawHttp.SendAsync(app.HttpUri, $"""
            POST /graphql HTTP/1.1
            Host: localhost
            Content-Type: application/json
            Content-Length: {10 * 1024 * 1024}

            """, [], endSending: false);

        Assert.Equal(413, status);
        Assert.Null(ResponseChecks.CheckErrors(body, out _));
    }

    [Fact]
    public async Task a_client_that_hangs_up_before_the_end_of_its_content_length_costs_nothing()
    {
        var (status, _, body) = await RawHttp.SendAsync(app.HttpUri, """
            POST /graphql HTTP/1.1
            Host: localhost
            Content-Type: application/json
            Content-Length: 200

            """, Encoding.UTF8.GetBytes("""{"query":"{ __typename }"}"""), endSending: true);

        // Nobody is left to answer; if Kestrel still gets a 400 out, it is GraphQL-shaped. Either way nothing is logged
        // at Error (checked after each test) and the app stays ready.
        Assert.True(status is 0 or 400, $"{status}: {body}");
        Assert.True(status == 0 || ResponseChecks.CheckErrors(body, out _) is null, body);
    }

    [Theory]
    [InlineData("zz\r\n{}\r\n0\r\n\r\n")] // a chunk size that is not hexadecimal
    [InlineData("1a\r\n{\"query\":\"{ __typename }\"}XX0\r\n\r\n")] // a chunk without its CRLF (26 bytes, then "XX")
    [InlineData("ffffffffffffffffff\r\n{}")] // a chunk size that overflows
    public async Task broken_chunked_framing_is_400(string chunks)
    {
        var (status, _, body) = await RawHttp.SendAsync(app.HttpUri, """
            POST /graphql HTTP/1.1
            Host: localhost
            Content-Type: application/json
            Transfer-Encoding: chunked

            """, Encoding.ASCII.GetBytes(chunks), endSending: false);

        Assert.Equal(400, status);
        Assert.Null(ResponseChecks.CheckErrors(body, out _));
    }

    [Fact]
    public async Task an_empty_body_is_400()
    {
        var answer = await requests.PostAsync([]);

        Assert.Equal(400, answer.Status);
        Assert.Equal(["BAD_REQUEST"], answer.Codes);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData(null)]
    [InlineData("application/graphql")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/json; charset=latin1")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("not a media type")]
    public async Task a_body_that_is_not_utf8_json_by_its_content_type_is_415(string? contentType)
    {
        var answer = await requests.PostAsync("""{"query":"{ __typename }"}""", contentType);

        Assert.Equal(415, answer.Status);
        Assert.Equal(["BAD_REQUEST"], answer.Codes);
    }

    [Fact]
    public async Task a_very_long_string_within_the_size_limit_is_answered_by_the_length_rule()
    {
        var body = new JsonObject
        {
            ["query"] = "query($n: String!) { __type(name: $n) { name } }",
            ["variables"] = new JsonObject { ["n"] = new string('x', 60_000) },
        }.ToJsonString();

        var answer = await requests.PostAsync(body);

        // Read whole and answered: the input rule's length limit refuses it (VALIDATION, TOO_LONG), never a 5xx.
        Assert.Equal(400, answer.Status);
        var error = answer.Json["errors"]![0]!;
        Assert.Equal("VALIDATION", error["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal("TOO_LONG", error["extensions"]!["reason"]!.GetValue<string>());
    }
}
