using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;

namespace EventStore.IntegrationTests.Api.Malformed;

/// <summary>
/// Issue 15 item 5, the GraphQL layer of a request: deep documents, huge numbers, unpaired surrogates, values of the
/// wrong type or null where one is required, and the faults the fuzz found where GraphQL.NET or a resolver answered
/// INTERNAL. Each is a client error as graphql-http would give it (400 with graphql-response+json, 200 with JSON),
/// appends nothing and logs nothing at Error.
/// </summary>
[Collection(MalformedRequestCollection.Name)]
public sealed class MalformedDocumentTests(MalformedRequestFixture app) : IAsyncLifetime
{
    private readonly MalformedRequests requests = new(app);
    private int _mark;
    private string _trader = "";

    public async Task InitializeAsync()
    {
        _mark = app.Log.Entries.Count;
        var (_, token) = await new GraphQLClient(app.CreateClient).RegisterAndLogInAsync($"doc{Guid.NewGuid():N}"[..20]);
        _trader = token;
    }

    public Task DisposeAsync() => requests.AssertHealthyAsync(_mark);

    public static TheoryData<string> DeepDocuments() => new()
    {
        string.Concat(Enumerable.Repeat("{a", 100)) + new string('}', 100),
        "{ __type(name: " + new string('[', 5_000) + "\"x\"" + new string(']', 5_000) + ") { name } }",
        "{ __type(name: " + string.Concat(Enumerable.Repeat("{a: ", 5_000)) + "1" + new string('}', 5_000) + ") { name } }",
        "query($x: " + new string('[', 5_000) + "Int" + new string(']', 5_000) + ") { __typename }",
    };

    [Theory]
    [MemberData(nameof(DeepDocuments))]
    public async Task a_deeply_nested_document_is_a_validation_error_as_a_syntax_error_is(string query)
    {
        var strict = await requests.PostAsync(MalformedRequests.Body(query));
        var json = await requests.PostAsync(MalformedRequests.Body(query), accept: "application/json");

        Assert.Equal((400, 200), (strict.Status, json.Status));
        Assert.Equal(["VALIDATION"], strict.Codes);
        Assert.Equal("The document is nested too deeply.", strict.Message);
        Assert.False(json.Executed);
    }

    [Theory]
    [InlineData("{ tradeTape(symbol: \"AAPL\", first: 2147483648) { price } }")]
    [InlineData("{ tradeTape(symbol: \"AAPL\", first: 1e400) { price } }")]
    [InlineData("mutation { deposit(input: {amount: 79228162514264337593543950336}) { balance } }")]
    [InlineData("mutation { deposit(input: {amount: 1e400}) { balance } }")]
    public async Task a_number_literal_out_of_range_is_a_validation_error(string query)
    {
        var before = await app.EventCountAsync();

        var answer = await requests.PostAsync(MalformedRequests.Body(query), token: _trader);

        Assert.Equal(400, answer.Status);
        Assert.Equal(["VALIDATION"], answer.Codes);
        Assert.Equal(before, await app.EventCountAsync());
    }

    [Fact]
    public async Task a_number_literal_longer_than_100_characters_is_refused_before_it_is_parsed()
    {
        var answer = await requests.PostAsync(MalformedRequests.Body("{ tradeTape(symbol: \"AAPL\", first: " + new string('9', 50_000) + ") { price } }"),
            token: _trader);

        Assert.Equal(400, answer.Status);
        Assert.Equal(["VALIDATION"], answer.Codes);
        Assert.Equal("A number literal has more than 100 characters.", answer.Message);
    }

    [Theory]
    [InlineData("query($n: Int) { tradeTape(symbol: \"AAPL\", first: $n) { price } }", "{\"n\":2147483648}")]
    [InlineData("query($n: Int) { tradeTape(symbol: \"AAPL\", first: $n) { price } }", "{\"n\":1e400}")]
    [InlineData("mutation($a: Decimal!) { deposit(input: {amount: $a}) { balance } }", "{\"a\":1.5e400}")]
    [InlineData("mutation($a: Decimal!) { deposit(input: {amount: $a}) { balance } }", "{\"a\":79228162514264337593543950336}")]
    [InlineData("mutation($a: Decimal!) { deposit(input: {amount: $a}) { balance } }", "{\"a\":null}")]
    [InlineData("mutation($a: Decimal!) { deposit(input: {amount: $a}) { balance } }", "{}")]
    [InlineData("mutation($a: Decimal!) { deposit(input: {amount: $a}) { balance } }", "{\"a\":{\"b\":1}}")]
    [InlineData("mutation { deposit(input: {amount: null}) { balance } }", null)]
    public async Task a_variable_out_of_range_missing_null_or_of_the_wrong_type_is_a_validation_error(string query, string? variables)
    {
        var before = await app.EventCountAsync();

        var answer = await requests.PostAsync(MalformedRequests.Body(query, variables), token: _trader);

        Assert.Equal(400, answer.Status);
        Assert.Equal(["VALIDATION"], answer.Codes);
        Assert.Equal(before, await app.EventCountAsync());
    }

    [Fact]
    public async Task an_unknown_variable_is_ignored_as_graphql_ignores_it()
    {
        var answer = await requests.PostAsync(MalformedRequests.Body("{ __typename }", "{\"notDeclared\":{\"deep\":[1,2,3]}}"));

        Assert.Equal(200, answer.Status);
        Assert.Equal("Query", answer.Json["data"]!["__typename"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{ __type(name: \\\"\\\\ud800\\\") { name } }")]
    [InlineData("{ __type(name: \\\"a\\\\udfffb\\\") { name } }")]
    [InlineData("{ __type(name: \\\"\\\\ud83d\\\") { name } }")]
    public async Task a_graphql_string_with_an_unpaired_surrogate_escape_is_a_validation_error(string query)
    {
        var answer = await requests.PostAsync("{\"query\":\"" + query + "\"}");

        Assert.Equal(400, answer.Status);
        Assert.Equal(["VALIDATION"], answer.Codes);
        Assert.StartsWith("Invalid Unicode escape sequence", answer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_surrogate_pair_written_as_two_escapes_is_text()
    {
        var answer = await requests.PostAsync("{\"query\":\"{ __type(name: \\\"\\\\ud83d\\\\ude00\\\") { name } }\"}");

        Assert.Equal(200, answer.Status);
        Assert.Null(answer.Json["data"]!["__type"]);
    }

    [Theory]
    [InlineData("\\r{")]
    [InlineData("{ a\\rb(c1) }")]
    public async Task a_carriage_return_that_trips_the_parser_is_a_validation_error(string query)
    {
        var answer = await requests.PostAsync("{\"query\":\"" + query + "\"}");

        Assert.Equal(400, answer.Status);
        Assert.Equal(["VALIDATION"], answer.Codes);
    }

    [Fact]
    public async Task a_subscription_over_http_is_refused_without_starting_it()
    {
        var post = await requests.PostAsync(MalformedRequests.Body("subscription { notifications { sequence } }"), token: _trader);
        var get = await requests.GetAsync("query=" + Uri.EscapeDataString("subscription { notifications { sequence } }"), accept: "application/json");

        Assert.Equal((400, 200), (post.Status, get.Status));
        Assert.Equal(["BAD_REQUEST"], post.Codes);
        Assert.StartsWith("Subscriptions are served over WebSocket", post.Message, StringComparison.Ordinal);
        Assert.False(get.Executed);
    }

    [Fact]
    public async Task an_empty_type_name_in_introspection_is_a_validation_error()
    {
        var answer = await requests.PostAsync(MalformedRequests.Body("query($n: String!) { __type(name: $n) { name } }", "{\"n\":\"\"}"));

        Assert.Equal(200, answer.Status); // executed: the field fails, with a client error
        Assert.Equal(["VALIDATION"], answer.Codes);
    }

    [Theory]
    [InlineData("{\"input\":{\"roomId\":\"not-a-uuid\"}}")]
    [InlineData("{\"input\":{\"roomId\":123}}")]
    [InlineData("{\"input\":{\"roomId\":\"\"}}")]
    public async Task a_malformed_uuid_inside_an_input_object_variable_is_a_validation_error(string variables)
    {
        var before = await app.EventCountAsync();

        var answer = await requests.PostAsync(MalformedRequests.Body("mutation($input: RoomInput!) { joinRoom(input: $input) { room { id } } }", variables),
            token: _trader);

        Assert.Equal(400, answer.Status);
        Assert.Equal(["VALIDATION"], answer.Codes);
        Assert.Equal(before, await app.EventCountAsync());
    }

    [Fact]
    public async Task a_timestamp_with_an_offset_filters_as_the_same_instant_in_utc()
    {
        var answer = await requests.PostAsync(MalformedRequests.Body(
            "query($f: OrderFilter) { orders(filter: $f) { items { id } } a: orders(filter: {to: \"2026-12-04T10:00:00-08:00\"}) { items { id } } }",
            "{\"f\":{\"from\":\"2026-12-04T10:00:00+05:30\"}}"), token: _trader);

        Assert.True(answer.Status == 200 && answer.Json["errors"] is null && answer.Json["data"]?["orders"]?["items"]?.AsArray().Count == 0,
            answer.Body);
    }

    [Fact]
    public async Task an_empty_keyset_cursor_is_a_validation_error()
    {
        var answer = await requests.PostAsync(MalformedRequests.Body("{ fills(after: \"\") { totalCount } }"), token: _trader);

        Assert.Equal(["VALIDATION"], answer.Codes);
        Assert.Equal("after", answer.Json["errors"]![0]!["extensions"]!["field"]!.GetValue<string>());
    }
}
