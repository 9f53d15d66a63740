using EventStore.Domain.Users;
using EventStore.IntegrationTests.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace EventStore.IntegrationTests.Users;

[Collection(AppCollection.Name)]
public sealed class RegistrationTests(AppFixture app) : IAsyncLifetime
{
    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task registered_user_reaches_the_projection_and_is_readable_through_me_and_user()
    {
        var (id, token) = await _client.RegisterAndLogInAsync("alice");
        await app.WaitForProjectionsAsync();

        var me = (await _client.SendAsync("{ me { id username email displayName roles isActive version } }", token: token)).Ok("me");
        Assert.Equal(id.ToString(), me.Str("id"));
        Assert.Equal("alice", me.Str("username"));
        Assert.Equal("alice@example.com", me.Str("email"));
        Assert.Equal("TRADER", me["roles"]![0]!.GetValue<string>());

        var (_, otherToken) = await _client.RegisterAndLogInAsync("bob");
        var seenByBob = (await _client.SendAsync("query($id: ID!) { user(id: $id) { username email } }", new { id }, otherToken)).Ok("user");
        Assert.Equal("alice", seenByBob.Str("username"));
        Assert.Null(seenByBob["email"]); // e-mail is for the user and admins only

        await using var session = app.Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var profile = await session.LoadAsync<EventStore.Projections.Users.UserProfile>(id);
        Assert.NotNull(profile); // served by the async projection, not only by the live fallback
        Assert.Equal("alice", profile.Username);
    }

    [Theory]
    [InlineData("", "ok@example.com", "a-long-enough-password", "input.username")]
    [InlineData("carol", "not-an-email", "a-long-enough-password", "input.email")]
    [InlineData("carol", "carol@example.com", "short", "input.password")]
    public async Task invalid_registration_is_refused_with_field_paths_and_appends_nothing(
        string username, string email, string password, string field)
    {
        var before = (await app.AllEventsAsync()).Count;

        var response = await _client.RegisterAsync(username, email, password);

        Assert.Equal(["VALIDATION"], response.Codes.Distinct());
        Assert.Contains(response.Errors, e => e["extensions"]!["field"]!.GetValue<string>() == field);
        Assert.Equal(before, (await app.AllEventsAsync()).Count);
    }

    [Fact]
    public async Task several_invalid_fields_are_all_reported_at_once()
    {
        var response = await _client.RegisterAsync("", "nope", "short");

        var fields = response.Errors.Select(e => e["extensions"]!["field"]!.GetValue<string>()).Order().ToList();
        Assert.Equal(["input.email", "input.password", "input.username"], fields);
        Assert.DoesNotContain("INTERNAL", response.Codes);
    }

    [Fact]
    public async Task a_second_registration_of_a_username_is_a_conflict_whatever_its_case()
    {
        (await _client.RegisterAsync("dave")).Ok("register");
        var before = (await app.AllEventsAsync()).Count;

        var again = await _client.RegisterAsync("DAVE", "other-dave@example.com");

        Assert.Equal(["CONFLICT"], again.Codes);
        Assert.Equal(before, (await app.AllEventsAsync()).Count);
    }

    [Fact]
    public async Task a_second_registration_of_an_email_is_a_conflict()
    {
        (await _client.RegisterAsync("erin", "shared@example.com")).Ok("register");

        var again = await _client.RegisterAsync("frank", "Shared@Example.com");

        Assert.Equal(["CONFLICT"], again.Codes);
    }

    [Fact]
    public async Task concurrent_registrations_of_one_username_create_exactly_one_user()
    {
        const int attempts = 8;
        var responses = await Task.WhenAll(Enumerable.Range(0, attempts)
            .Select(i => _client.RegisterAsync("grace", $"grace{i}@example.com")));

        Assert.Single(responses, r => r.Errors.Count == 0);
        Assert.Equal(attempts - 1, responses.Count(r => r.Codes.SequenceEqual(["CONFLICT"])));

        var usernames = new List<string?>();
        foreach (var registered in (await app.AllEventsAsync()).Select(e => e.Data).OfType<UserRegistered>())
        {
            usernames.Add(await app.OpenAsync(registered.Username));
        }

        Assert.Single(usernames, name => name == "grace");
        await using var session = app.Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        Assert.Equal(1, await session.Query<UserAccount>().CountAsync(x => x.Username == "grace"));
    }

    [Fact]
    public async Task the_password_is_stored_only_as_a_hash_and_never_in_an_event()
    {
        (await _client.RegisterAsync("heidi")).Ok("register");

        await using var session = app.Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var account = await session.Query<UserAccount>().SingleAsync(x => x.Username == "heidi");
        Assert.NotEqual(UserScenarios.Password, account.PasswordHash);
        Assert.DoesNotContain(UserScenarios.Password, account.PasswordHash, StringComparison.Ordinal);

        var rawEvents = await session.AdvancedSql.QueryAsync<string>("select data::text from eventstore.mt_events", CancellationToken.None);
        Assert.All(rawEvents, json => Assert.DoesNotContain(UserScenarios.Password, json, StringComparison.Ordinal));
        Assert.All(rawEvents, json => Assert.DoesNotContain(account.PasswordHash, json, StringComparison.Ordinal));
    }

    [Fact]
    public async Task data_survives_a_restart_of_the_app()
    {
        (await _client.RegisterAsync("ivan")).Ok("register");

        // A second host on the same database: what the first acknowledged is there.
        await using var second = await Alba.AlbaHost.For<Program>(builder =>
        {
            builder.UseSetting("ConnectionStrings:Postgres", app.ConnectionString);
            builder.UseSetting("Jwt:SigningKey", AppFixture.SigningKey);
            builder.UseSetting("GraphQL:AuthAttemptsPerUsername", "0"); // no login limits here (LoginRateLimitTests)
            builder.UseSetting("GraphQL:AuthAttemptsPerAddress", "0");
            builder.UseSetting("PersonalData:KeyEncryptionKey", AppFixture.PersonalDataKey);
            builder.UseSetting("MarketData:Enabled", "false");
        });
        var token = await new GraphQLClient(second).LogInAsync("ivan", UserScenarios.Password);
        Assert.False(string.IsNullOrEmpty(token));
    }
}
