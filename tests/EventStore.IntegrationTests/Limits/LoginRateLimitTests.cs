using System.Globalization;
using Alba;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;

namespace EventStore.IntegrationTests.Limits;

/// <summary>
/// Login attempts are counted per operation field, per username and per client address, whatever token comes with
/// them (issue 16: 200 aliased logins counted as one request; a valid token moved login to the user's higher limit).
/// A node of its own with small allowances and caps wide enough for 200 aliases.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class LoginRateLimitTests(AppFixture app) : IAsyncLifetime
{
    private const int PerUsername = 5;
    private const int PerAddress = 40;
    private IAlbaHost _node = null!;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        _node = await app.StartSecondNodeAsync(
            ("GraphQL:AuthAttemptsPerUsername", PerUsername.ToString(CultureInfo.InvariantCulture)),
            ("GraphQL:AuthAttemptsPerAddress", PerAddress.ToString(CultureInfo.InvariantCulture)),
            ("GraphQL:AuthWindow", "00:01:00"),
            ("GraphQL:AuthBackoff", "00:02:00"),
            ("GraphQL:AnonymousRequestsPerMinute", "0"),
            ("GraphQL:MaxAliases", "300"),
            ("GraphQL:MaxFields", "5000"),
            ("GraphQL:MaxErrors", "1000"));
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task two_hundred_aliased_logins_in_one_request_are_attempts_and_all_beyond_the_limit_are_rate_limited()
    {
        var reply = await LimitedHttp.PostAsync(_node, "10.16.0.1", LimitedHttp.AliasedLogins(200, _ => "alias-victim"));

        Assert.Equal(PerUsername, reply.Count("UNAUTHENTICATED")); // the attempts that ran: wrong passwords
        Assert.Equal(200 - PerUsername, reply.Count("RATE_LIMITED"));
        Assert.All(reply.Errors.Where(e => e["extensions"]!["code"]!.GetValue<string>() == "RATE_LIMITED"),
            e => Assert.True(e["extensions"]!["retryAfter"]!.GetValue<int>() >= 1));
        Assert.True(reply.RetryAfterHeader >= 1);

        var next = await LimitedHttp.PostAsync(_node, "10.16.0.1", LimitedHttp.AliasedLogins(1, _ => "alias-victim"));
        Assert.Equal(429, next.Status);
        Assert.Equal(1, next.Count("RATE_LIMITED"));
        Assert.Null(next.Json["data"]);
    }

    [Fact]
    public async Task a_valid_token_does_not_move_login_to_a_higher_limit()
    {
        var (_, token) = await new GraphQLClient(app.Host).RegisterAndLogInAsync("limit-token-holder");

        var reply = await LimitedHttp.PostAsync(_node, "10.16.0.2", LimitedHttp.AliasedLogins(200, _ => "token-victim"), token: token);

        Assert.Equal(PerUsername, reply.Count("UNAUTHENTICATED"));
        Assert.Equal(200 - PerUsername, reply.Count("RATE_LIMITED"));
    }

    [Fact]
    public async Task logins_from_one_address_are_limited_across_usernames()
    {
        var reply = await LimitedHttp.PostAsync(_node, "10.16.0.3", LimitedHttp.AliasedLogins(60, i => $"spray-{i}"));

        Assert.Equal(PerAddress, reply.Count("UNAUTHENTICATED"));
        Assert.Equal(60 - PerAddress, reply.Count("RATE_LIMITED"));
    }

    [Fact]
    public async Task each_attempt_beyond_the_limit_waits_longer_than_the_one_before()
    {
        for (var i = 0; i < PerUsername; i++)
        {
            Assert.Equal(1, (await LimitedHttp.PostAsync(_node, "10.16.0.4", LimitedHttp.AliasedLogins(1, _ => "backoff-victim")))
                .Count("UNAUTHENTICATED"));
        }

        var waits = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var refused = await LimitedHttp.PostAsync(_node, "10.16.0.4", LimitedHttp.AliasedLogins(1, _ => "backoff-victim"));
            Assert.Equal(429, refused.Status);
            waits.Add(refused.RetryAfterHeader!.Value);
        }

        // 2, 4, 8 minutes (AuthBackoff doubling), each longer than the minute's window.
        Assert.True(waits[0] > 60 && waits[1] > waits[0] && waits[2] > waits[1], string.Join(", ", waits));
    }

    [Fact]
    public async Task a_signed_in_user_is_limited_per_field_not_per_request()
    {
        await using var node = await app.StartSecondNodeAsync(("GraphQL:RequestsPerMinutePerUser", "3"));
        var (_, token) = await new GraphQLClient(app.Host).RegisterAndLogInAsync("limit-fields-user");

        var reply = await LimitedHttp.PostAsync(node, "10.16.0.5",
            "{ " + string.Join(" ", Enumerable.Range(0, 10).Select(i => $"m{i}: me {{ id }}")) + " }", token: token);

        Assert.Equal(7, reply.Count("RATE_LIMITED"));
        Assert.Equal(3, reply.Json["data"]!.AsObject().Count(x => x.Value is not null));
    }
}
