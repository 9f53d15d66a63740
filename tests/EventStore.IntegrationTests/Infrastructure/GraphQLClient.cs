using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alba;

namespace EventStore.IntegrationTests.Infrastructure;

/// <summary>Sends GraphQL over the app's HTTP pipeline, as a front-end would.</summary>
public sealed class GraphQLClient(Func<HttpClient> createClient)
{
    public GraphQLClient(IAlbaHost host)
        : this(host.Server.CreateClient)
    {
    }

    /// <summary>A client whose every request carries a W3C traceparent of <paramref name="trace"/>: its spans and SQL can be told apart.</summary>
    public static GraphQLClient Traced(IAlbaHost host, System.Diagnostics.ActivityTraceId trace)
    {
        var traceparent = $"00-{trace.ToHexString()}-{System.Diagnostics.ActivitySpanId.CreateRandom().ToHexString()}-01";
        return new GraphQLClient(() => new HttpClient(new TraceParentHandler(traceparent, host.Server.CreateHandler()))
        {
            BaseAddress = host.Server.BaseAddress,
        });
    }

    public Task<GraphQLResponse> SendAsync(string query, object? variables = null, string? token = null) =>
        SendAsync(JsonContent.Create(new { query, variables }), token);

    /// <summary>A request body written by hand: JSON a serializer would not produce (an escaped lone surrogate, ...).</summary>
    public Task<GraphQLResponse> SendRawAsync(string json, string? token = null) =>
        SendAsync(new StringContent(json, System.Text.Encoding.UTF8, "application/json"), token);

    private async Task<GraphQLResponse> SendAsync(HttpContent content, string? token)
    {
        using var client = createClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = content };
        request.Headers.Accept.ParseAdd("application/graphql-response+json");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return new GraphQLResponse((int)response.StatusCode, JsonNode.Parse(body)!.AsObject(), body);
    }
}

public sealed record GraphQLResponse(int Status, JsonObject Json, string Body)
{
    public JsonNode? Data => Json["data"];

    public IReadOnlyList<JsonObject> Errors =>
        Json["errors"]?.AsArray().Select(x => x!.AsObject()).ToList() ?? [];

    public IReadOnlyList<string?> Codes => Errors.Select(e => e["extensions"]?["code"]?.GetValue<string>()).ToList();

    /// <summary>Fails with the whole body when the response has errors.</summary>
    public JsonNode Ok(string field)
    {
        Assert.True(Errors.Count == 0, $"Expected no errors but got: {Body}");
        return Data![field]!;
    }

    public override string ToString() => Body;
}

public static class JsonNodeExtensions
{
    public static string Str(this JsonNode node, string name) => node[name]!.GetValue<string>();

    public static JsonSerializerOptions Web { get; } = new(JsonSerializerDefaults.Web);
}
