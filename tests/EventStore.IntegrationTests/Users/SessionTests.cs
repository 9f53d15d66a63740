using Alba;
using EventStore.Api.Auth.Sessions;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.WebSockets;
using Microsoft.Extensions.DependencyInjection;

namespace EventStore.IntegrationTests.Users;

/// <summary>
/// Revocable sessions through the real HTTP and WebSocket stack (issue 16, item 1): whatever changes who a user is to
/// the API takes effect on the next request and closes their open subscriptions with 4403.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class SessionTests(AppFixture app) : IAsyncLifetime
{
    private const string Me = "{ me { id } }";
    private const string Subscription = "subscription { myOrderUpdates { event } }";
    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task a_deactivated_users_token_is_refused_at_once_and_their_open_subscription_is_closed_with_4403()
    {
        var (id, token) = await _client.RegisterAndLogInAsync("deactivated");
        await using var socket = await SubscribeAsync(app.Host, token);

        await DeactivateAsync(_client, id);

        Assert.Equal(["UNAUTHENTICATED"], (await _client.SendAsync(Me, token: token)).Codes);
        var (_, code, _) = await socket.ReceiveUntilCloseAsync();
        Assert.Equal(4403, code);
    }

    [Fact]
    public async Task an_admin_whose_admin_role_was_revoked_cannot_call_assignRole_with_the_old_token()
    {
        var (id, token) = await _client.RegisterWithRoleAsync("fallen-admin", "ADMIN");
        var (victim, _) = await _client.RegisterAndLogInAsync("bystander");
        var root = await _client.LogInAsAdminAsync();
        (await _client.SendAsync("mutation($input: RoleInput!) { revokeRole(input: $input) { id } }",
            new { input = new { userId = id, role = "ADMIN" } }, root)).Ok("revokeRole");

        var regrant = await _client.SendAsync("mutation($input: RoleInput!) { assignRole(input: $input) { roles } }",
            new { input = new { userId = id, role = "ADMIN" } }, token);
        var other = await _client.SendAsync("mutation($input: RoleInput!) { assignRole(input: $input) { roles } }",
            new { input = new { userId = victim, role = "AUDITOR" } }, token);

        Assert.Equal(["UNAUTHENTICATED"], regrant.Codes);
        Assert.Equal(["UNAUTHENTICATED"], other.Codes);
        await app.WaitForProjectionsAsync();
        var roles = (await _client.SendAsync("query($id: ID!) { user(id: $id) { roles } }", new { id }, root)).Ok("user")["roles"]!
            .AsArray().Select(x => x!.GetValue<string>());
        Assert.DoesNotContain("ADMIN", roles.Select(r => r.ToUpperInvariant()));
    }

    [Fact]
    public async Task an_erased_users_token_is_refused_and_their_subscription_closed()
    {
        var (id, token) = await _client.RegisterAndLogInAsync("erased");
        await using var socket = await SubscribeAsync(app.Host, token);

        await _client.EraseAsync(id);

        Assert.Equal(["UNAUTHENTICATED"], (await _client.SendAsync(Me, token: token)).Codes);
        Assert.Equal(4403, (await socket.ReceiveUntilCloseAsync()).Code);
    }

    [Fact]
    public async Task a_refresh_token_rotates_and_reusing_a_rotated_one_revokes_the_whole_session()
    {
        await _client.RegisterAsync("rotating");
        var first = await LogInAsync(_client, "rotating", UserScenarios.Password);

        var second = (await RefreshAsync(first.Refresh)).Ok("refreshToken");
        var secondAccess = second.Str("token");
        var secondRefresh = second.Str("refreshToken");
        Assert.NotEqual(first.Refresh, secondRefresh);
        Assert.Empty((await _client.SendAsync(Me, token: secondAccess)).Errors);

        var replay = await RefreshAsync(first.Refresh); // a stolen, already used token

        Assert.Equal(["UNAUTHENTICATED"], replay.Codes);
        Assert.Equal(["UNAUTHENTICATED"], (await RefreshAsync(secondRefresh)).Codes); // the family is gone
        Assert.Equal(["UNAUTHENTICATED"], (await _client.SendAsync(Me, token: secondAccess)).Codes);
        Assert.Equal(["UNAUTHENTICATED"], (await _client.SendAsync(Me, token: first.Access)).Codes);
    }

    [Fact]
    public async Task a_malformed_or_unknown_refresh_token_is_unauthenticated()
    {
        Assert.Equal(["UNAUTHENTICATED"], (await RefreshAsync("not-a-token")).Codes);
        Assert.Equal(["UNAUTHENTICATED"], (await RefreshAsync($"{Guid.NewGuid():N}.{new string('a', 43)}")).Codes);
    }

    [Fact]
    public async Task logout_ends_only_the_callers_session()
    {
        await _client.RegisterAsync("leaving");
        var laptop = await LogInAsync(_client, "leaving", UserScenarios.Password);
        var phone = await LogInAsync(_client, "leaving", UserScenarios.Password);

        Assert.True((await _client.SendAsync("mutation { logout }", token: laptop.Access)).Ok("logout").GetValue<bool>());

        Assert.Equal(["UNAUTHENTICATED"], (await _client.SendAsync(Me, token: laptop.Access)).Codes);
        Assert.Equal(["UNAUTHENTICATED"], (await RefreshAsync(laptop.Refresh)).Codes);
        Assert.Empty((await _client.SendAsync(Me, token: phone.Access)).Errors);
        Assert.Empty((await RefreshAsync(phone.Refresh)).Errors);
    }

    [Fact]
    public async Task logout_everywhere_ends_every_session_and_closes_subscriptions()
    {
        await _client.RegisterAsync("everywhere");
        var laptop = await LogInAsync(_client, "everywhere", UserScenarios.Password);
        var phone = await LogInAsync(_client, "everywhere", UserScenarios.Password);
        await using var socket = await SubscribeAsync(app.Host, phone.Access);

        (await _client.SendAsync("mutation { logoutEverywhere }", token: laptop.Access)).Ok("logoutEverywhere");

        Assert.Equal(["UNAUTHENTICATED"], (await _client.SendAsync(Me, token: laptop.Access)).Codes);
        Assert.Equal(["UNAUTHENTICATED"], (await _client.SendAsync(Me, token: phone.Access)).Codes);
        Assert.Equal(["UNAUTHENTICATED"], (await RefreshAsync(phone.Refresh)).Codes);
        Assert.Equal(4403, (await socket.ReceiveUntilCloseAsync()).Code);
        Assert.NotEmpty((await LogInAsync(_client, "everywhere", UserScenarios.Password)).Access); // a new login works
    }

    [Fact]
    public async Task change_password_needs_the_current_one_and_ends_the_other_sessions()
    {
        await _client.RegisterAsync("rekey");
        var laptop = await LogInAsync(_client, "rekey", UserScenarios.Password);
        var phone = await LogInAsync(_client, "rekey", UserScenarios.Password);
        const string change = "mutation($input: ChangePasswordInput!) { changePassword(input: $input) { token refreshToken } }";

        var wrong = await _client.SendAsync(change,
            new { input = new { currentPassword = "not-the-password", newPassword = "a-brand-new-password" } }, laptop.Access);
        Assert.Equal(["FORBIDDEN"], wrong.Codes);
        Assert.Empty((await _client.SendAsync(Me, token: phone.Access)).Errors); // nothing changed

        var changed = (await _client.SendAsync(change,
            new { input = new { currentPassword = UserScenarios.Password, newPassword = "a-brand-new-password" } }, laptop.Access))
            .Ok("changePassword");

        Assert.Equal(["UNAUTHENTICATED"], (await _client.SendAsync(Me, token: phone.Access)).Codes);
        Assert.Equal(["UNAUTHENTICATED"], (await RefreshAsync(phone.Refresh)).Codes);
        Assert.Equal(["UNAUTHENTICATED"], (await _client.SendAsync(Me, token: laptop.Access)).Codes); // old stamp
        Assert.Empty((await _client.SendAsync(Me, token: changed.Str("token"))).Errors); // this session goes on
        Assert.Empty((await RefreshAsync(laptop.Refresh)).Errors);
        Assert.Equal(["UNAUTHENTICATED"], (await _client.SendAsync(
            "mutation { login(input: {username: \"rekey\", password: \"" + UserScenarios.Password + "\"}) { token } }")).Codes);
        await LogInAsync(_client, "rekey", "a-brand-new-password");
    }

    [Fact]
    public async Task checking_a_token_reads_the_database_only_when_the_node_has_no_entry_for_the_user()
    {
        var (id, token) = await _client.RegisterAndLogInAsync("cached");
        Assert.Empty((await _client.SendAsync(Me, token: token)).Errors);

        var cache = app.Host.Services.GetRequiredService<SecurityCache>();
        Assert.True(cache.TryGet(id, out var entry));
        for (var i = 0; i < 5; i++)
        {
            Assert.Empty((await _client.SendAsync(Me, token: token)).Errors);
        }

        Assert.True(cache.TryGet(id, out var after));
        Assert.Same(entry, after); // served from the same cached entry: no reload
    }

    [Fact]
    public async Task a_revocation_on_node_a_is_honoured_on_node_b()
    {
        await using var nodeB = await app.StartSecondNodeAsync();
        await nodeB.Services.GetRequiredService<SecurityNotifications>().Listening.WaitAsync(TimeSpan.FromSeconds(30));
        var onB = new GraphQLClient(nodeB);
        var (id, token) = await _client.RegisterAndLogInAsync("two-node-user");
        Assert.Empty((await onB.SendAsync(Me, token: token)).Errors); // node B now holds the user in its cache
        await using var socket = await SubscribeAsync(nodeB, token);
        var invalidatedOnB = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        nodeB.Services.GetRequiredService<SecurityCache>().Invalidated += user =>
        {
            if (user == id)
            {
                invalidatedOnB.TrySetResult();
            }
        };

        await DeactivateAsync(_client, id); // on node A

        await invalidatedOnB.Task.WaitAsync(TimeSpan.FromSeconds(30)); // PostgreSQL NOTIFY reached node B
        Assert.Equal(["UNAUTHENTICATED"], (await onB.SendAsync(Me, token: token)).Codes);
        Assert.Equal(4403, (await socket.ReceiveUntilCloseAsync()).Code);
    }

    private static async Task<GraphQLWebSocketClient> SubscribeAsync(IAlbaHost host, string token)
    {
        var socket = await GraphQLWebSocketClient.ConnectAndInitAsync(host, new { authorization = $"Bearer {token}" });
        await socket.SubscribeAsync("orders", Subscription);
        // A ping is answered only after the subscribe before it was read: the subscription is registered.
        await socket.SendAsync(new { type = "ping" });
        Assert.Equal("pong", (await socket.ReceiveAsync()).Str("type"));
        return socket;
    }

    private static async Task DeactivateAsync(GraphQLClient client, Guid id) =>
        (await client.SendAsync("mutation($input: DeactivateUserInput!) { deactivateUser(input: $input) { isActive } }",
            new { input = new { userId = id, reason = "test" } }, await client.LogInAsAdminAsync())).Ok("deactivateUser");

    private Task<GraphQLResponse> RefreshAsync(string refresh) =>
        _client.SendAsync("mutation($t: String!) { refreshToken(refreshToken: $t) { token refreshToken expiresAt refreshTokenExpiresAt } }",
            new { t = refresh });

    internal static async Task<(string Access, string Refresh)> LogInAsync(GraphQLClient client, string username, string password)
    {
        var login = (await client.SendAsync(
            "mutation($input: LoginInput!) { login(input: $input) { token refreshToken } }",
            new { input = new { username, password } })).Ok("login");
        return (login.Str("token"), login.Str("refreshToken"));
    }
}
