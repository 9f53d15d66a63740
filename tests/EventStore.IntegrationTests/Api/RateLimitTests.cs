using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Alba;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;

namespace EventStore.IntegrationTests.Api;

/// <summary>
/// Per-user request limits on /graphql, on a host of their own with small limits. The buckets refill over time, so
/// the tests send until the first refusal (bounded) rather than counting on the clock.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class RateLimitTests(AppFixture app) : IAsyncLifetime
{
    private const int PerUser = 3;
    private const int Anonymous = 5;
    private IAlbaHost _limited = null!;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        _limited = await app.StartSecondNodeAsync(
            ("GraphQL:RequestsPerMinutePerUser", PerUser.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("GraphQL:AnonymousRequestsPerMinute", Anonymous.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    public async Task DisposeAsync() => await _limited.DisposeAsync();

    [Fact]
    public async Task a_user_over_the_limit_gets_429_rate_limited_with_retry_after_and_other_users_are_not_affected()
    {
        // Tokens come from the unlimited main host, so the limited host's anonymous bucket is not spent on them.
        var main = new GraphQLClient(app.Host);
        var (_, alice) = await main.RegisterAndLogInAsync("limited-alice");
        var (_, bob) = await main.RegisterAndLogInAsync("limited-bob");

        var refused = await SendUntilRefusedAsync("{ me { id } }", alice);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.True(refused.RetryAfterSeconds >= 1);
        Assert.Equal("RATE_LIMITED", refused.Json["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Null(refused.Json["data"]);
        var other = await SendAsync("{ me { id } }", bob);
        Assert.Equal(HttpStatusCode.OK, other.Status);
        Assert.NotNull(other.Json["data"]!["me"]);
    }

    [Fact]
    public async Task requests_without_a_token_are_limited_per_address_so_password_guessing_is_slowed()
    {
        const string Guess = "mutation { login(input: {username: \"nobody-here\", password: \"guess-guess-guess\"}) { token } }";

        var refused = await SendUntilRefusedAsync(Guess, token: null);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Equal("RATE_LIMITED", refused.Json["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    /// <summary>The limit's worth of requests are answered; the first refusal comes within a couple more.</summary>
    private async Task<Reply> SendUntilRefusedAsync(string query, string? token)
    {
        var limit = token is null ? Anonymous : PerUser;
        for (var i = 0; i < limit + 3; i++)
        {
            var reply = await SendAsync(query, token);
            if (reply.Status == HttpStatusCode.TooManyRequests)
            {
                Assert.True(i >= limit, $"refused after {i} requests, below the limit of {limit}");
                return reply;
            }
        }

        throw new Xunit.Sdk.XunitException($"{limit + 3} requests were all answered: no limit of {limit} per minute");
    }

    private async Task<Reply> SendAsync(string query, string? token)
    {
        using var client = _limited.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(new JsonObject { ["query"] = query }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return new Reply(response.StatusCode, JsonNode.Parse(body)!.AsObject(),
            response.Headers.RetryAfter?.Delta is { } delta ? (int)delta.TotalSeconds : 0);
    }

    private sealed record Reply(HttpStatusCode Status, JsonObject Json, int RetryAfterSeconds);
}
