using EventStore.IntegrationTests.Infrastructure;

namespace EventStore.IntegrationTests.Users;

/// <summary>Preconditions built through the public API, as a front-end would build them.</summary>
public static class UserScenarios
{
    public const string Password = "a-long-enough-password";

    public const string RegisterMutation =
        "mutation($input: RegisterInput!) { register(input: $input) { id username displayName roles isActive version } }";

    public static Task<GraphQLResponse> RegisterAsync(this GraphQLClient client, string username, string? email = null,
        string password = Password) =>
        client.SendAsync(RegisterMutation, new { input = new { username, email = email ?? $"{username}@example.com", password } });

    public static async Task<(Guid Id, string Token)> RegisterAndLogInAsync(this GraphQLClient client, string username)
    {
        var registered = await client.RegisterAsync(username);
        var id = Guid.Parse(registered.Ok("register").Str("id"));
        return (id, await client.LogInAsync(username, Password));
    }

    public static async Task<string> LogInAsync(this GraphQLClient client, string username, string password)
    {
        var response = await client.SendAsync(
            "mutation($input: LoginInput!) { login(input: $input) { token expiresAt } }",
            new { input = new { username, password } });
        return response.Ok("login").Str("token");
    }

    /// <summary>Registers <paramref name="username"/>, has the admin grant <paramref name="role"/>, and logs in again.</summary>
    public static async Task<(Guid Id, string Token)> RegisterWithRoleAsync(this GraphQLClient client, string username, string role)
    {
        var (id, _) = await client.RegisterAndLogInAsync(username);
        var admin = await client.LogInAsAdminAsync();
        (await client.SendAsync("mutation($input: RoleInput!) { assignRole(input: $input) { id } }",
            new { input = new { userId = id, role } }, admin)).Ok("assignRole");
        return (id, await client.LogInAsync(username, Password));
    }

    /// <summary>The admin erases <paramref name="userId"/>'s personal data.</summary>
    public static async Task EraseAsync(this GraphQLClient client, Guid userId) =>
        (await client.SendAsync("mutation($id: ID!) { eraseUser(input: {userId: $id}) { id } }", new { id = userId },
            await client.LogInAsAdminAsync())).Ok("eraseUser");

    public static Task<string> LogInAsAdminAsync(this GraphQLClient client) =>
        client.LogInAsync(AppFixture.AdminUsername, AppFixture.AdminPassword);
}
