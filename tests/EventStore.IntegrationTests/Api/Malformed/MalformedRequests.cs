using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace EventStore.IntegrationTests.Api.Malformed;

/// <summary>An answer to a hostile request, already checked for shape: GraphQL body, client codes, no stack trace.</summary>
internal sealed record Answer(int Status, string? MediaType, JsonObject Json, string Body)
{
    public IReadOnlyList<string> Codes =>
        Json["errors"]?.AsArray().Select(e => e!["extensions"]!["code"]!.GetValue<string>()).ToList() ?? [];

    public string Message => Json["errors"]![0]!["message"]!.GetValue<string>();

    public bool Executed => Json.ContainsKey("data");
}

/// <summary>
/// Sends requests to the Kestrel host of <see cref="MalformedRequestFixture"/> and checks what every answer must be
/// (<see cref="ResponseChecks"/>), and that the request left no Error in the log and the app ready.
/// </summary>
internal sealed class MalformedRequests(MalformedRequestFixture app)
{
    public const string GraphQLResponse = "application/graphql-response+json";

    public Task<Answer> PostAsync(string body, string? contentType = "application/json", string? accept = GraphQLResponse,
        string? token = null) => PostAsync(Encoding.UTF8.GetBytes(body), contentType, accept, token);

    public async Task<Answer> PostAsync(byte[] body, string? contentType = "application/json", string? accept = GraphQLResponse,
        string? token = null, bool chunked = false)
    {
        HttpContent content = chunked ? new StreamContent(new UnseekableStream(body)) : new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "graphql") { Content = content };
        return await SendAsync(request, accept, token);
    }

    public async Task<Answer> GetAsync(string query, string? accept = GraphQLResponse)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "graphql?" + query);
        return await SendAsync(request, accept, token: null);
    }

    /// <summary>A GraphQL request as JSON, with optional variables (a JSON text, sent as is).</summary>
    public static string Body(string query, string? variables = null) =>
        new JsonObject { ["query"] = query }.ToJsonString()[..^1] + (variables is null ? "" : ",\"variables\":" + variables) + "}";

    /// <summary>Fails unless the app is still ready and nothing was logged at Error since <paramref name="mark"/>.</summary>
    public async Task AssertHealthyAsync(int mark)
    {
        using var client = app.CreateClient();
        using var ready = await client.GetAsync("health/ready");
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
        var errors = app.ErrorsSince(mark);
        Assert.True(errors.Count == 0, "Logged at Error:\n" + string.Join("\n", errors));
    }

    private async Task<Answer> SendAsync(HttpRequestMessage request, string? accept, string? token)
    {
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var client = app.CreateClient();
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var problem = ResponseChecks.CheckHttp(status, mediaType, body);
        Assert.True(problem is null, $"{problem}: {body}");
        return new Answer(status, mediaType, (JsonObject)JsonNode.Parse(body)!, body);
    }

}

/// <summary>A stream that does not say how long it is: HttpClient then sends it with Transfer-Encoding: chunked.</summary>
internal sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
{
    public override bool CanSeek => false;
}
