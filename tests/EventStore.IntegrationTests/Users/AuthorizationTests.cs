using System.Security.Claims;
using System.Text;
using EventStore.IntegrationTests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EventStore.IntegrationTests.Users;

[Collection(AppCollection.Name)]
public sealed class AuthorizationTests(AppFixture app) : IAsyncLifetime
{
    private const string AssignRole =
        "mutation($input: RoleInput!) { assignRole(input: $input) { id roles } }";

    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task without_a_token_protected_fields_are_unauthenticated()
    {
        var response = await _client.SendAsync("{ me { id } }");

        Assert.Equal(["UNAUTHENTICATED"], response.Codes);
        Assert.Null(response.Data);
    }

    [Fact]
    public async Task a_trader_cannot_assign_roles_and_nothing_is_appended()
    {
        var (id, token) = await _client.RegisterAndLogInAsync("mallory");
        var before = (await app.AllEventsAsync()).Count;

        var response = await _client.SendAsync(AssignRole, new { input = new { userId = id, role = "ADMIN" } }, token);

        Assert.Equal(["FORBIDDEN"], response.Codes);
        Assert.Equal(before, (await app.AllEventsAsync()).Count);
    }

    [Fact]
    public async Task a_trader_cannot_list_users()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("trent");

        var response = await _client.SendAsync("{ users { edges { node { id } } } }", token: token);

        Assert.Equal(["FORBIDDEN"], response.Codes);
    }

    [Fact]
    public async Task an_admin_assigns_a_role_and_the_next_login_carries_it()
    {
        var (id, _) = await _client.RegisterAndLogInAsync("olivia");
        var admin = await _client.LogInAsAdminAsync();

        var assigned = (await _client.SendAsync(AssignRole, new { input = new { userId = id, role = "AUDITOR" } }, admin)).Ok("assignRole");
        Assert.Contains("AUDITOR", assigned["roles"]!.AsArray().Select(x => x!.GetValue<string>()));

        var token = await _client.LogInAsync("olivia", UserScenarios.Password);
        var roles = new JsonWebTokenHandler().ReadJsonWebToken(token).Claims.Where(c => c.Type == "role").Select(c => c.Value);
        Assert.Contains("auditor", roles);
    }

    [Fact]
    public async Task a_trader_cannot_deactivate_someone_else()
    {
        var (victim, _) = await _client.RegisterAndLogInAsync("victor");
        var (_, token) = await _client.RegisterAndLogInAsync("walter");

        var response = await _client.SendAsync(
            "mutation($input: DeactivateUserInput!) { deactivateUser(input: $input) { isActive } }",
            new { input = new { userId = victim } }, token);

        Assert.Equal(["FORBIDDEN"], response.Codes);
    }

    [Fact]
    public async Task a_deactivated_user_cannot_log_in()
    {
        var (id, token) = await _client.RegisterAndLogInAsync("yvonne");
        (await _client.SendAsync("mutation($input: DeactivateUserInput!) { deactivateUser(input: $input) { isActive } }",
            new { input = new { userId = id, reason = "leaving" } }, token)).Ok("deactivateUser");

        var login = await _client.SendAsync("mutation { login(input: {username: \"yvonne\", password: \"" + UserScenarios.Password + "\"}) { token } }");

        Assert.Equal(["UNAUTHENTICATED"], login.Codes);
    }

    [Fact]
    public async Task a_wrong_password_is_unauthenticated()
    {
        await _client.RegisterAndLogInAsync("zack");

        var login = await _client.SendAsync("mutation { login(input: {username: \"zack\", password: \"wrong-password-123\"}) { token } }");

        Assert.Equal(["UNAUTHENTICATED"], login.Codes);
    }

    [Fact]
    public async Task a_tampered_token_is_rejected()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("tamper");
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1]))
            .Replace("\"trader\"", "\"admin\"", StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";

        var response = await _client.SendAsync("{ me { id } }", token: tampered);

        Assert.Equal(["UNAUTHENTICATED"], response.Codes);
    }

    [Fact]
    public async Task a_token_signed_with_another_key_is_rejected()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("forger");
        var forged = Sign(token, "a-completely-different-signing-key-0123456789", DateTime.UtcNow.AddHours(1));

        var response = await _client.SendAsync("{ me { id } }", token: forged);

        Assert.Equal(["UNAUTHENTICATED"], response.Codes);
    }

    [Fact]
    public async Task an_expired_token_is_rejected()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("late");
        var expired = Sign(token, AppFixture.SigningKey, DateTime.UtcNow.AddMinutes(-5)); // beyond the 30 s clock skew

        var response = await _client.SendAsync("{ me { id } }", token: expired);

        Assert.Equal(["UNAUTHENTICATED"], response.Codes);
    }

    [Fact]
    public async Task a_token_signed_with_the_right_key_and_valid_claims_is_accepted()
    {
        var (id, token) = await _client.RegisterAndLogInAsync("control");

        var response = await _client.SendAsync("{ me { id } }", token: Sign(token, AppFixture.SigningKey, DateTime.UtcNow.AddMinutes(5)));

        Assert.Equal(id.ToString(), response.Ok("me").Str("id")); // the rejections above are not an artefact of Sign
    }

    /// <summary>A token of our own making for the user and session of <paramref name="real"/> (so only key and expiry differ).</summary>
    private static string Sign(string real, string key, DateTime expires) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(new JsonWebTokenHandler().ReadJsonWebToken(real).Claims
                .Where(c => c.Type is "sub" or "sid" or "sst").Append(new Claim("role", "admin"))),
            Issuer = "eventstore",
            Audience = "eventstore",
            IssuedAt = expires.AddHours(-1),
            NotBefore = expires.AddHours(-1),
            Expires = expires,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });
}
