using System.Text;

namespace EventStore.IntegrationTests.Api.Malformed;

/// <summary>
/// Issue 15 item 5, the JSON layer of a request: each case gets a 4xx with a GraphQL error body (or the GraphQL answer
/// graphql-http would give), leaves no Error in the log, and the app stays ready. Found first: a deeply nested JSON
/// variable was a 500 with an empty body.
/// </summary>
[Collection(MalformedRequestCollection.Name)]
public sealed class MalformedJsonTests(MalformedRequestFixture app) : IAsyncLifetime
{
    private readonly MalformedRequests requests = new(app);
    private int _mark;

    public Task InitializeAsync()
    {
        _mark = app.Log.Entries.Count;
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => requests.AssertHealthyAsync(_mark);

    [Theory]
    [InlineData(65, "[", "]")]
    [InlineData(100, "{\"a\":", "}")]
    [InlineData(10_000, "[", "]")]
    public async Task a_deeply_nested_json_variable_is_400_with_a_graphql_error(int depth, string open, string close)
    {
        var nested = string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth));

        var answer = await requests.PostAsync(MalformedRequests.Body("query($x: String) { __typename }", "{\"x\":" + nested + "}"),
            accept: "application/json");

        Assert.Equal(400, answer.Status);
        Assert.Equal(["BAD_REQUEST"], answer.Codes);
        Assert.Contains("nested at most 64 levels", answer.Message, StringComparison.Ordinal);
        Assert.False(answer.Executed);
    }

    [Fact]
    public async Task json_nested_within_the_limit_reaches_graphql_which_refuses_the_value()
    {
        var nested = new string('[', 60) + "1" + new string(']', 60);

        var answer = await requests.PostAsync(MalformedRequests.Body("query($n: String!) { __type(name: $n) { name } }", "{\"n\":" + nested + "}"));

        Assert.Equal(400, answer.Status); // a variable GraphQL cannot coerce: not executed
        Assert.Equal(["VALIDATION"], answer.Codes);
    }

    [Theory]
    [InlineData("""{"query":"{ __typename }","query":"{ __typename }"}""")]
    [InlineData("""{"query":"{ __typename }","variables":{"x":1,"x":2}}""")]
    [InlineData("""{"query":"{ __typename }","variables":{"x":{"a":1,"a":2}}}""")]
    [InlineData("""{"query":"{ __typename }","extensions":{"e":1,"\u0065":2}}""")]
    public async Task a_key_twice_in_one_object_is_400(string body)
    {
        var answer = await requests.PostAsync(body, accept: "application/json");

        Assert.Equal(400, answer.Status);
        Assert.Equal(["BAD_REQUEST"], answer.Codes);
        Assert.Contains("the same key twice", answer.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("query=%7B__typename%7D&variables=%7B%22x%22%3A1%2C%22x%22%3A2%7D", "'variables'")]
    [InlineData("query=%7B__typename%7D&query=%7B__typename%7D", "'query' is given more than once")]
    [InlineData("query=%7B__typename%7D&variables=%5B%5D", "'variables' must be a JSON object")]
    [InlineData("query=%7B__typename%7D&extensions=%7B%22a%22%3A", "'extensions'")]
    public async Task a_get_with_a_malformed_or_repeated_parameter_is_400(string query, string message)
    {
        var answer = await requests.GetAsync(query);

        Assert.Equal(400, answer.Status);
        Assert.Equal(["BAD_REQUEST"], answer.Codes);
        Assert.Contains(message, answer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_json_number_longer_than_100_characters_is_400()
    {
        var answer = await requests.PostAsync(MalformedRequests.Body("{ __typename }", "{\"x\":" + new string('9', 60_000) + "}"));

        Assert.Equal(400, answer.Status);
        Assert.Equal(["BAD_REQUEST"], answer.Codes);
        Assert.Equal("A number has more than 100 characters.", answer.Message);
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("-1.5e400")]
    [InlineData("1e-400")]
    [InlineData("79228162514264337593543950336")]
    public async Task an_unused_variable_out_of_every_range_is_ignored_as_graphql_ignores_it(string number)
    {
        var answer = await requests.PostAsync(MalformedRequests.Body("{ __typename }", "{\"x\":" + number + "}"));

        Assert.Equal(200, answer.Status);
        Assert.Equal("Query", answer.Json["data"]!["__typename"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"query":"{ __typename }","variables":[]}""", "'variables' must be an object or null.")]
    [InlineData("""{"query":"{ __typename }","variables":"{}"}""", "'variables' must be an object or null.")]
    [InlineData("""{"query":"{ __typename }","variables":1}""", "'variables' must be an object or null.")]
    [InlineData("""{"query":"{ __typename }","variables":true}""", "'variables' must be an object or null.")]
    [InlineData("""{"query":1}""", "'query' must be a non-empty string.")]
    [InlineData("""{"query":{"a":1}}""", "'query' must be a non-empty string.")]
    [InlineData("""{"query":null}""", "'query' must be a non-empty string.")]
    [InlineData("""{"query":"  "}""", "'query' must be a non-empty string.")]
    [InlineData("""{"variables":{}}""", "'query' must be a non-empty string.")]
    [InlineData("""{"query":"{ __typename }","operationName":{}}""", "'operationName' must be a string or null.")]
    [InlineData("""{"query":"{ __typename }","operationName":1}""", "'operationName' must be a string or null.")]
    [InlineData("""{"query":"{ __typename }","extensions":[]}""", "'extensions' must be an object or null.")]
    [InlineData("""[{"query":"{ __typename }"}]""", "The request must be a JSON object")]
    [InlineData("null", "The request must be a JSON object")]
    [InlineData("\"{ __typename }\"", "The request must be a JSON object")]
    public async Task a_parameter_of_the_wrong_json_type_is_400_naming_it(string body, string message)
    {
        var answer = await requests.PostAsync(body, accept: "application/json");

        Assert.Equal(400, answer.Status);
        Assert.Equal(["BAD_REQUEST"], answer.Codes);
        Assert.StartsWith(message, answer.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{")]
    [InlineData("""{"query":"{ __typename }"} trailing""")]
    [InlineData("""{"query":"{ __typename }"}{"query":"{ __typename }"}""")]
    [InlineData("""{"query":"{ __typename }"/* a comment */}""")]
    [InlineData("""{"query":"{ __typename }",}""")]
    [InlineData("""{'query':'{ __typename }'}""")]
    public async Task a_body_that_is_not_one_json_value_is_400(string body)
    {
        var answer = await requests.PostAsync(body);

        Assert.Equal(400, answer.Status);
        Assert.Equal(["BAD_REQUEST"], answer.Codes);
        Assert.StartsWith("Not valid JSON", answer.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC0, 0xAF })] // an overlong '/'
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })] // a surrogate, encoded
    [InlineData(new byte[] { 0xE2, 0x82 })] // cut short
    public async Task invalid_utf8_is_400(byte[] bad)
    {
        byte[] body = [.. Encoding.UTF8.GetBytes("""{"query":"query($s: String) { __typename }","variables":{"s":"a"""), .. bad,
            .. Encoding.UTF8.GetBytes("\"}}")];

        var answer = await requests.PostAsync(body);

        Assert.Equal(400, answer.Status);
        Assert.Equal(["BAD_REQUEST"], answer.Codes);
    }

    [Theory]
    [InlineData("""{"query":"{ __typename }","variables":{"s":"\ud800"}}""")]
    [InlineData("""{"query":"{ __typename }","variables":{"\udfff":1}}""")]
    [InlineData("""{"query":"{ __typename }","operationName":"a\udc00b"}""")]
    public async Task an_escaped_lone_surrogate_is_400(string body)
    {
        var answer = await requests.PostAsync(body);

        Assert.Equal(400, answer.Status);
        Assert.Equal(["BAD_REQUEST"], answer.Codes);
    }

    [Fact]
    public async Task a_leading_utf8_byte_order_mark_is_ignored_as_rfc_8259_allows()
    {
        byte[] body = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("""{"query":"{ __typename }"}""")];

        var answer = await requests.PostAsync(body);

        Assert.Equal(200, answer.Status);
        Assert.Equal("Query", answer.Json["data"]!["__typename"]!.GetValue<string>());
    }

    [Fact]
    public async Task a_utf16_byte_order_mark_or_a_second_bom_is_400()
    {
        byte[] utf16 = [0xFF, 0xFE, .. Encoding.Unicode.GetBytes("""{"query":"{ __typename }"}""")];
        byte[] twice = [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("""{"query":"{ __typename }"}""")];

        Assert.Equal(400, (await requests.PostAsync(utf16)).Status);
        Assert.Equal(400, (await requests.PostAsync(twice)).Status);
    }
}
