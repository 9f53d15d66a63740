using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using EventStore.IntegrationTests.Infrastructure;

namespace EventStore.IntegrationTests.Api;

/// <summary>GraphQL over HTTP as the reference implementation (npm graphql-http) answers it.</summary>
[Collection(AppCollection.Name)]
public sealed class HttpTransportTests(AppFixture app)
{
    private const string GraphQLResponse = "application/graphql-response+json";

    [Fact]
    public async Task a_query_over_get_is_answered()
    {
        using var response = await Send(HttpMethod.Get, "/graphql?query=%7B__typename%7D", accept: GraphQLResponse);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(GraphQLResponse, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("Query", (await Json(response))["data"]!["__typename"]!.GetValue<string>());
    }

    [Fact]
    public async Task a_mutation_over_get_is_405_with_allow_post()
    {
        using var response = await Send(HttpMethod.Get,
            "/graphql?query=" + Uri.EscapeDataString("mutation { login(input: {username: \"a\", password: \"b\"}) { token } }"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("POST", response.Content.Headers.Allow.Single());
    }

    [Fact]
    public async Task other_methods_are_405()
    {
        using var response = await Send(HttpMethod.Put, "/graphql", "{\"query\":\"{__typename}\"}");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task json_is_the_default_response_type()
    {
        using var response = await Send(HttpMethod.Post, "/graphql", "{\"query\":\"{__typename}\"}");

        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task an_unacceptable_accept_header_is_406()
    {
        using var response = await Send(HttpMethod.Post, "/graphql", "{\"query\":\"{__typename}\"}", accept: "text/html");

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
    }

    [Fact]
    public async Task a_body_that_is_not_json_is_415()
    {
        using var response = await Send(HttpMethod.Post, "/graphql", "{__typename}", contentType: "text/plain");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[{\"query\":\"{__typename}\"}]")]
    [InlineData("{\"variables\":{}}")]
    [InlineData("{\"query\":\"{__typename}\",\"variables\":\"not an object\"}")]
    public async Task malformed_request_parameters_are_400(string body)
    {
        using var response = await Send(HttpMethod.Post, "/graphql", body, accept: GraphQLResponse);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null((await Json(response))["data"]);
    }

    [Theory]
    [InlineData(GraphQLResponse, HttpStatusCode.BadRequest)]
    [InlineData("application/json", HttpStatusCode.OK)]
    public async Task a_document_that_does_not_parse_is_400_or_200_by_accepted_type(string accept, HttpStatusCode expected)
    {
        using var response = await Send(HttpMethod.Post, "/graphql", "{\"query\":\"{ me { \"}", accept: accept);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("VALIDATION", (await Json(response))["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task a_body_over_the_size_limit_is_413()
    {
        var huge = "{\"query\":\"{__typename}\",\"variables\":{\"x\":\"" + new string('a', 70 * 1024) + "\"}}";

        using var response = await Send(HttpMethod.Post, "/graphql", huge);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task a_query_deeper_than_the_limit_is_refused_before_execution()
    {
        // 13 levels, over GraphQL:MaxDepth (12). With a data field beside it this is not an introspection-only document,
        // which has its own cap (Ide/IntrospectionTests).
        var deep = "{ me { id } __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } } }";
        var client = new GraphQLClient(app.Host);
        var (_, token) = await Users.UserScenarios.RegisterAndLogInAsync(client, $"deep{Guid.NewGuid():N}"[..20]);

        var response = await client.SendAsync(deep, token: token);

        Assert.Equal(400, response.Status);
        Assert.Equal(["VALIDATION"], response.Codes);
        Assert.Null(response.Data);
    }

    [Fact]
    public async Task a_query_over_the_complexity_limit_is_refused_before_execution()
    {
        var client = new GraphQLClient(app.Host);
        var (_, token) = await Users.UserScenarios.RegisterAndLogInAsync(client, $"complex{Guid.NewGuid():N}"[..20]);
        var aliases = string.Join(' ', Enumerable.Range(0, 1200).Select(i => $"a{i}:me{{id username displayName bio}}"));

        var response = await client.SendAsync("{ " + aliases + " }", token: token);

        Assert.True(response.Codes.Distinct().SequenceEqual(["VALIDATION"]), response.Body[..Math.Min(600, response.Body.Length)]);
        Assert.Null(response.Data);
    }

    private async Task<HttpResponseMessage> Send(HttpMethod method, string url, string? body = null,
        string contentType = "application/json", string? accept = null)
    {
        using var client = app.Host.Server.CreateClient();
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        return await client.SendAsync(request);
    }

    private static async Task<JsonObject> Json(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
}
