using System.Globalization;
using Alba;
using EventStore.IntegrationTests.Infrastructure;

namespace EventStore.IntegrationTests.Limits;

/// <summary>
/// Two app nodes on one real `redis-server` (started by the test on a loopback port) share the rate limits: attempts on
/// one node count on the other (issue 16: the limits were per node).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class RedisRateLimitTests(AppFixture app) : IAsyncLifetime
{
    private const int PerUsername = 5;
    private RedisServer _redis = null!;
    private IAlbaHost _first = null!;
    private IAlbaHost _second = null!;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        _redis = await RedisServer.StartAsync();
        (string, string)[] settings =
        [
            ("ConnectionStrings:Redis", _redis.ConnectionString),
            ("GraphQL:AuthAttemptsPerUsername", PerUsername.ToString(CultureInfo.InvariantCulture)),
            ("GraphQL:AuthAttemptsPerAddress", "0"),
            ("GraphQL:AnonymousRequestsPerMinute", "0"),
            ("GraphQL:RequestsPerMinutePerUser", "4"),
            ("GraphQL:MaxAliases", "300"),
            ("GraphQL:MaxFields", "5000"),
            ("GraphQL:MaxErrors", "1000"),
        ];
        _first = await app.StartSecondNodeAsync(settings);
        _second = await app.StartSecondNodeAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task two_nodes_on_one_redis_share_the_login_limit()
    {
        var onFirst = await LimitedHttp.PostAsync(_first, "10.16.2.1", LimitedHttp.AliasedLogins(3, _ => "cluster-victim"));
        Assert.Equal(3, onFirst.Count("UNAUTHENTICATED"));

        var onSecond = await LimitedHttp.PostAsync(_second, "10.16.2.2", LimitedHttp.AliasedLogins(200, _ => "cluster-victim"));
        Assert.Equal(PerUsername - 3, onSecond.Count("UNAUTHENTICATED"));
        Assert.Equal(200 - (PerUsername - 3), onSecond.Count("RATE_LIMITED"));

        var backOnFirst = await LimitedHttp.PostAsync(_first, "10.16.2.3", LimitedHttp.AliasedLogins(1, _ => "cluster-victim"));
        Assert.Equal(429, backOnFirst.Status);
        Assert.True(backOnFirst.RetryAfterHeader >= 1);
    }

    [Fact]
    public async Task two_nodes_on_one_redis_share_a_users_limit()
    {
        var (_, token) = await Users.UserScenarios.RegisterAndLogInAsync(new GraphQLClient(app.Host), "cluster-user");

        var first = await LimitedHttp.PostAsync(_first, "10.16.2.4", "{ a: me { id } b: me { id } c: me { id } }", token: token);
        var second = await LimitedHttp.PostAsync(_second, "10.16.2.4", "{ a: me { id } b: me { id } }", token: token);

        Assert.Equal(0, first.Count("RATE_LIMITED"));
        Assert.Equal(1, second.Count("RATE_LIMITED"));
    }
}
