using System.Text.Json.Nodes;
using EventStore.Domain.Chat.Rooms;
using EventStore.Domain.Chat;
using EventStore.IntegrationTests.Chat;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace EventStore.IntegrationTests.Api;

/// <summary>
/// The input rule (docs/security.md, "Input hygiene") through the real HTTP stack and PostgreSQL: a string with a NUL, a
/// control character, a lone surrogate or a noncharacter, or one too long, is VALIDATION with its input path before any
/// resolver runs, and nothing is appended. Found by an attacker: a NUL in a display name used to be stored and stop the
/// projections that copy it; in a room name or an e-mail address it gave INTERNAL.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class InputHygieneTests(AppFixture app) : IAsyncLifetime
{
    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("username")]
    [InlineData("email")]
    [InlineData("displayName")]
    [InlineData("password")]
    public async Task a_nul_in_any_registration_field_is_validation_with_its_path_and_appends_nothing(string field)
    {
        var input = new Dictionary<string, string>
        {
            ["username"] = "mallory", ["email"] = "mallory@example.com", ["password"] = UserScenarios.Password, ["displayName"] = "Mallory",
        };
        input[field] = input[field][..3] + "\u0000" + input[field][3..];
        var before = await EventCountAsync();

        var response = await _client.SendAsync(UserScenarios.RegisterMutation, new { input });

        var error = AssertRefused(response, "input." + field, "CONTROL_CHARACTER");
        Assert.Equal($"'input.{field}' must not contain control characters (U+0000 at index 3).", error.Str("message"));
        Assert.Equal(["register"], error["path"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(400, response.Status); // the document did not validate: nothing executed, no `data`
        Assert.Null(response.Data);
        Assert.Equal(before, await EventCountAsync());
    }

    [Fact]
    public async Task a_nul_in_a_room_name_is_validation_not_internal()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("roomie");
        var before = await EventCountAsync();

        var response = await _client.SendAsync("mutation($input: CreateRoomInput!) { createRoom(input: $input) { room { id } } }",
            new { input = new { name = "Lobby\u0000", visibility = "PUBLIC" } }, token);

        AssertRefused(response, "input.name", "CONTROL_CHARACTER");
        Assert.Equal(before, await EventCountAsync());
    }

    [Fact]
    public async Task a_nul_in_a_changed_email_is_validation_not_internal()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("changer");
        var before = await EventCountAsync();

        var response = await _client.SendAsync("mutation($e: String!) { changeEmail(input: {email: $e}) { email } }",
            new { e = "new\u0000@example.com" }, token);

        AssertRefused(response, "input.email", "CONTROL_CHARACTER");
        Assert.Equal(before, await EventCountAsync());
    }

    [Fact]
    public async Task a_control_character_in_an_inline_literal_is_refused_like_one_in_a_variable()
    {
        var before = await EventCountAsync();

        var response = await _client.SendAsync("""
            mutation { register(input: {username: "inline", email: "inline@example.com", password: "a-long-enough-password",
                                        displayName: "Bell \u0007 here"}) { id } }
            """);

        var error = AssertRefused(response, "input.displayName", "CONTROL_CHARACTER");
        Assert.Contains("U+0007", error.Str("message"), StringComparison.Ordinal);
        Assert.NotNull(error["locations"]);
        Assert.Equal(before, await EventCountAsync());
    }

    [Fact]
    public async Task an_unpaired_surrogate_is_refused_inline_and_in_a_variable()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("surrogate");
        var before = await EventCountAsync();

        var inline = await _client.SendAsync("""mutation { updateProfile(input: {displayName: "half \uD83D of a pair"}) { id } }""",
            token: token);
        var variable = await _client.SendRawAsync("""
            {"query": "mutation($n: String!) { updateProfile(input: {displayName: $n}) { id } }", "variables": {"n": "half \uDE00"}}
            """, token);

        // In the document, a `\u` escape that leaves a surrogate unpaired is a syntax error (the GraphQL spec's rule), refused
        // by the transport's document parser with its location before the field rule is reached.
        var error = Assert.Single(inline.Errors);
        Assert.Equal("VALIDATION", error["extensions"]!.Str("code"));
        Assert.Contains("surrogate", error.Str("message"), StringComparison.Ordinal);
        // JSON text with a lone surrogate escape cannot even be read as a string: the transport refuses the body first.
        Assert.Equal(400, variable.Status);
        Assert.Equal(["BAD_REQUEST"], variable.Codes);
        Assert.Equal(before, await EventCountAsync());
    }

    [Fact]
    public async Task a_noncharacter_is_refused()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("nonchar");

        var response = await _client.SendAsync("mutation($n: String!) { createRoom(input: {name: $n, visibility: PUBLIC}) { room { id } } }",
            new { n = "Room \uFFFF" }, token);

        AssertRefused(response, "input.name", "NONCHARACTER");
    }

    [Fact]
    public async Task an_over_long_string_is_refused_with_its_limit_including_ones_the_validators_never_see()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("longwinded");

        var name = await _client.SendAsync("mutation($n: String!) { updateProfile(input: {displayName: $n}) { id } }",
            new { n = new string('x', 65) }, token);
        var cursor = await _client.SendAsync("query($a: String) { messages(roomId: \"00000000-0000-0000-0000-000000000001\", after: $a) { edges { cursor } } }",
            new { a = new string('A', 257) }, token);

        var error = AssertRefused(name, "input.displayName", "TOO_LONG");
        Assert.Equal("'input.displayName' must be at most 64 characters long (it has 65).", error.Str("message"));
        AssertRefused(cursor, "after", "TOO_LONG");
    }

    [Fact]
    public async Task a_chat_message_may_span_lines_but_a_username_may_not()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("poet");
        var room = await _client.CreateRoomAsync(token, "Verse");

        var posted = (await _client.PostAsync(token, room, "roses are red,\r\n\tviolets are blue")).Ok("postMessage")["message"]!;
        var username = await _client.RegisterAsync("two\nlines", "lines@example.com");

        Assert.Equal("roses are red,\r\n\tviolets are blue", posted.Str("text"));
        AssertRefused(username, "input.username", "LINE_BREAK");
    }

    [Fact]
    public async Task strings_in_nested_lists_and_variable_defaults_and_object_keys_are_all_checked()
    {
        var admin = await _client.LogInAsAdminAsync();

        var listed = await _client.SendAsync("""{ auditEvents(filter: {eventTypes: ["user_registered", "bad\u0000"]}) { edges { cursor } } }""",
            token: admin);
        var defaulted = await _client.SendAsync("""
            mutation($n: String = "Default\u0000") { createRoom(input: {name: $n, visibility: PUBLIC}) { room { id } } }
            """, token: admin);
        var keyed = await _client.SendRawAsync("""
            {"query": "mutation($i: CreateRoomInput!) { createRoom(input: $i) { room { id } } }",
             "variables": {"i": {"name": "Keys", "visibility": "PUBLIC", "na\u0000me": "x"}}}
            """, admin);

        AssertRefused(listed, "filter.eventTypes[1]", "CONTROL_CHARACTER");
        AssertRefused(defaulted, "input.name", "CONTROL_CHARACTER");
        AssertRefused(keyed, "input.<key>", "CONTROL_CHARACTER"); // paths name the argument, not the variable
    }

    [Fact]
    public async Task every_bad_field_of_a_form_is_reported_at_once()
    {
        var response = await _client.SendAsync(UserScenarios.RegisterMutation, new
        {
            input = new { username = "a\u0001", email = "b\u0002@example.com", password = UserScenarios.Password, displayName = "ok" },
        });

        Assert.Equal(["input.username", "input.email"], response.Errors.Select(e => e["extensions"]!.Str("field")));
    }

    [Fact]
    public async Task text_is_stored_in_nfc_so_equivalent_spellings_are_one_string()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("zoe");

        var updated = (await _client.SendAsync("mutation($n: String!) { updateProfile(input: {displayName: $n}) { displayName } }",
            new { n = "Zoe\u0301" }, token)).Ok("updateProfile");

        Assert.Equal("Zo\u00E9", updated.Str("displayName"));
    }

    [Fact]
    public async Task a_command_sent_past_the_api_is_held_to_the_same_rule_by_the_handler_policy()
    {
        var (owner, _) = await _client.RegisterAndLogInAsync("direct");
        var before = await EventCountAsync();
        using var scope = app.Host.Services.CreateScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();

        var refused = await Assert.ThrowsAsync<ValidationException>(() =>
            bus.InvokeAsync(new CreateRoom(Guid.CreateVersion7(), "Back\u0000door", RoomVisibility.Public, owner)));

        var failure = Assert.Single(refused.Errors);
        Assert.Equal(("Name", "CONTROL_CHARACTER"), (failure.PropertyName, failure.ErrorCode));
        Assert.Equal(before, await EventCountAsync());
    }

    private static JsonObject AssertRefused(GraphQLResponse response, string field, string reason)
    {
        Assert.True(response.Errors.Count == 1, $"Expected one error: {response.Body}");
        var error = response.Errors[0];
        Assert.Equal("VALIDATION", error["extensions"]!.Str("code"));
        Assert.Equal(field, error["extensions"]!.Str("field"));
        Assert.Equal(reason, error["extensions"]!.Str("reason"));
        return error;
    }

    private async Task<int> EventCountAsync() => (await app.AllEventsAsync()).Count;
}
