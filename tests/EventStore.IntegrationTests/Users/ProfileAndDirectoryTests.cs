using EventStore.Domain.Users;
using EventStore.IntegrationTests.Infrastructure;

namespace EventStore.IntegrationTests.Users;

[Collection(AppCollection.Name)]
public sealed class ProfileAndDirectoryTests(AppFixture app) : IAsyncLifetime
{
    private const string UsersQuery =
        "query($first: Int, $after: String, $filter: UserFilter) { users(first: $first, after: $after, filter: $filter) " +
        "{ edges { cursor node { username roles } } pageInfo { hasNextPage endCursor } } }";

    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task updating_the_profile_is_visible_in_the_mutation_result_and_after_projection()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("paula");

        var updated = (await _client.SendAsync(
            "mutation { updateProfile(input: {displayName: \"Paula P.\", bio: \"Index funds.\"}) { displayName bio version } }",
            token: token)).Ok("updateProfile");
        Assert.Equal("Paula P.", updated.Str("displayName"));
        Assert.Equal(2, updated["version"]!.GetValue<long>());

        await app.WaitForProjectionsAsync();
        var me = (await _client.SendAsync("{ me { displayName bio version } }", token: token)).Ok("me");
        Assert.Equal("Index funds.", me.Str("bio"));
        Assert.Equal(2, me["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task changing_to_an_email_someone_else_has_is_a_conflict_and_appends_nothing()
    {
        await _client.RegisterAsync("quentin", "quentin@example.com");
        var (_, token) = await _client.RegisterAndLogInAsync("rachel");
        var before = (await app.AllEventsAsync()).Count;

        var response = await _client.SendAsync("mutation { changeEmail(input: {email: \"QUENTIN@example.com\"}) { email } }", token: token);

        Assert.Equal(["CONFLICT"], response.Codes);
        Assert.Equal(before, (await app.AllEventsAsync()).Count);
    }

    [Fact]
    public async Task changing_the_email_frees_the_old_one_and_takes_the_new_one()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("sam");

        var changed = (await _client.SendAsync("mutation { changeEmail(input: {email: \"sam@new.example.com\"}) { email } }",
            token: token)).Ok("changeEmail");
        Assert.Equal("sam@new.example.com", changed.Str("email"));

        Assert.Empty((await _client.RegisterAsync("samuel", "sam@example.com")).Errors);
        Assert.Equal(["CONFLICT"], (await _client.RegisterAsync("sammy", "sam@new.example.com")).Codes);
    }

    [Fact]
    public async Task an_admin_pages_through_the_directory_in_username_order()
    {
        foreach (var name in new[] { "ursula", "uma", "ulrich", "ugo", "uri" })
        {
            (await _client.RegisterAsync(name)).Ok("register");
        }

        await app.WaitForProjectionsAsync();
        var admin = await _client.LogInAsAdminAsync();

        var seen = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = (await _client.SendAsync(UsersQuery, new { first = 2, after, filter = new { namePrefix = "U" } }, admin)).Ok("users");
            seen.AddRange(page["edges"]!.AsArray().Select(e => e!["node"]!.Str("username")));
            after = page["pageInfo"]!["hasNextPage"]!.GetValue<bool>() ? page["pageInfo"]!.Str("endCursor") : null;
            pages++;
        }
        while (after is not null && pages < 10);

        Assert.Equal(["ugo", "ulrich", "uma", "uri", "ursula"], seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task the_directory_filters_by_role()
    {
        var (analyst, _) = await _client.RegisterAndLogInAsync("victoria");
        await _client.RegisterAndLogInAsync("wanda");
        var admin = await _client.LogInAsAdminAsync();
        (await _client.SendAsync("mutation($input: RoleInput!) { assignRole(input: $input) { id } }",
            new { input = new { userId = analyst, role = "ANALYST" } }, admin)).Ok("assignRole");
        await app.WaitForProjectionsAsync();

        var page = (await _client.SendAsync(UsersQuery, new { filter = new { role = "ANALYST" } }, admin)).Ok("users");

        Assert.Equal(["victoria"], page["edges"]!.AsArray().Select(e => e!["node"]!.Str("username")));
    }

    [Fact]
    public async Task a_malformed_cursor_or_page_size_is_a_validation_error()
    {
        var admin = await _client.LogInAsAdminAsync();

        Assert.Equal(["VALIDATION"], (await _client.SendAsync(UsersQuery, new { after = "not-a-cursor" }, admin)).Codes);
        Assert.Equal(["VALIDATION"], (await _client.SendAsync(UsersQuery, new { first = 1000 }, admin)).Codes);
    }

    [Fact]
    public async Task an_admin_cannot_revoke_their_own_admin_role()
    {
        var admin = await _client.LogInAsAdminAsync();
        var me = (await _client.SendAsync("{ me { id } }", token: admin)).Ok("me").Str("id");

        var response = await _client.SendAsync("mutation($input: RoleInput!) { revokeRole(input: $input) { id } }",
            new { input = new { userId = me, role = Roles.Admin.ToUpperInvariant() } }, admin);

        Assert.Equal(["CONFLICT"], response.Codes);
    }
}
