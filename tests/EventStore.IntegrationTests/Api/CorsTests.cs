using System.Net;
using EventStore.IntegrationTests.Infrastructure;

namespace EventStore.IntegrationTests.Api;

/// <summary>
/// CORS from `Cors:AllowedOrigins` (the same list the WebSocket Origin check reads): a browser's preflight from a listed
/// origin is allowed, one from any other origin gets no CORS headers (the browser then refuses), docs/security.md.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class CorsTests(AppFixture app)
{
    private const string Allowed = "https://app.example.test";

    [Fact]
    public async Task a_preflight_from_a_listed_origin_is_allowed_and_one_from_another_origin_is_not()
    {
        await using var node = await app.StartSecondNodeAsync(("Cors:AllowedOrigins", Allowed + ",https://other.example.test"));
        using var http = node.Server.CreateClient();

        using var allowed = await http.SendAsync(Preflight(Allowed));
        using var refused = await http.SendAsync(Preflight("https://evil.example.test"));

        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal(Allowed, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", allowed.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
        Assert.Contains("authorization", allowed.Headers.GetValues("Access-Control-Allow-Headers").Single(),
            StringComparison.OrdinalIgnoreCase);
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task with_no_origins_configured_no_cross_origin_call_is_allowed()
    {
        using var http = app.Host.Server.CreateClient();

        using var response = await http.SendAsync(Preflight(Allowed));

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task a_listed_origin_gets_the_cors_headers_on_the_post_itself()
    {
        await using var node = await app.StartSecondNodeAsync(("Cors:AllowedOrigins", Allowed));
        using var http = node.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent("{\"query\":\"{__typename}\"}", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Origin", Allowed);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Allowed, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/graphql");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization, content-type");
        return request;
    }
}
