using System.Security.Claims;
using System.Text;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EventStore.IntegrationTests.WebSockets;

/// <summary>Operations over graphql-transport-ws: `subscribe`, `next`, `error`, `complete`, and who runs them.</summary>
[Collection(WebSocketCollection.Name)]
public sealed class OperationTests(WebSocketFixture app) : IAsyncLifetime
{
    private readonly GraphQLClient _http = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("authorization", "Bearer ")]
    [InlineData("Authorization", "Bearer ")]
    [InlineData("token", "")]
    public async Task a_query_runs_as_the_user_of_the_connection_init_token_one_next_then_complete(string key, string scheme)
    {
        var (_, token) = await _http.RegisterAndLogInAsync("sockuser");
        await using var client = await GraphQLWebSocketClient.ConnectAndInitAsync(app.Host,
            new Dictionary<string, string> { [key] = scheme + token });

        await client.SubscribeAsync("q1", "{ me { username } }");

        var next = await client.ReceiveAsync();
        Assert.Equal("next", next.Str("type"));
        Assert.Equal("q1", next.Str("id"));
        Assert.Equal("sockuser", next["payload"]!["data"]!["me"]!.Str("username"));
        Assert.Null(next["payload"]!["errors"]);
        var complete = await client.ReceiveAsync();
        Assert.Equal("complete", complete.Str("type"));
        Assert.Equal("q1", complete.Str("id"));
    }

    [Fact]
    public async Task a_mutation_over_the_socket_registers_a_user_under_the_operations_correlation_id()
    {
        await using var client = await GraphQLWebSocketClient.ConnectAndInitAsync(app.Host);

        await client.SubscribeAsync("reg-1", UserScenarios.RegisterMutation,
            new { input = new { username = "wsreg", email = "wsreg@example.com", password = UserScenarios.Password } });

        var next = await client.ReceiveAsync();
        Assert.Equal("next", next.Str("type"));
        Assert.Equal("wsreg", next["payload"]!["data"]!["register"]!.Str("username"));
        Assert.Equal("complete", (await client.ReceiveAsync()).Str("type"));
        var registered = (await app.AllEventsAsync()).Last(e => e.EventTypeName == "user_registered");
        // The connection's first operation: numbered, never the client's own id (free text that no erasure could reach).
        Assert.EndsWith(":1", registered.CorrelationId, StringComparison.Ordinal);
        Assert.DoesNotContain("reg-1", registered.CorrelationId, StringComparison.Ordinal);
        await _http.LogInAsync("wsreg", UserScenarios.Password);
    }

    [Fact]
    public async Task without_a_token_a_protected_field_gets_an_unauthenticated_error_and_the_socket_stays_open()
    {
        await using var client = await GraphQLWebSocketClient.ConnectAndInitAsync(app.Host);

        await client.SubscribeAsync("me", "{ me { id } }");

        var error = await client.ReceiveAsync();
        Assert.Equal("error", error.Str("type"));
        Assert.Equal("me", error.Str("id"));
        Assert.Equal("UNAUTHENTICATED", error["payload"]!.AsArray().Single()!["extensions"]!.Str("code"));
        await AssertStillOpenAsync(client); // and no `complete` came after the `error`
    }

    [Theory]
    [InlineData("subscription { noSuchField }")]
    [InlineData("{ this does not parse")]
    public async Task a_document_that_does_not_validate_gets_an_error_message_and_the_socket_stays_open(string query)
    {
        await using var client = await GraphQLWebSocketClient.ConnectAndInitAsync(app.Host);

        await client.SubscribeAsync("bad", query);

        var error = await client.ReceiveAsync();
        Assert.Equal("error", error.Str("type"));
        Assert.Equal("bad", error.Str("id"));
        Assert.All(error["payload"]!.AsArray(), e => Assert.Equal("VALIDATION", e!["extensions"]!.Str("code")));
        Assert.NotEmpty(error["payload"]!.AsArray());
        await AssertStillOpenAsync(client);
    }

    [Fact]
    public async Task operations_each_end_with_their_own_complete_and_an_id_can_be_reused_after_it()
    {
        await using var client = await GraphQLWebSocketClient.ConnectAndInitAsync(app.Host);

        await client.SubscribeAsync("a", "{ __typename }");
        await client.SubscribeAsync("b", "{ __typename }");
        var messages = new[] { await client.ReceiveAsync(), await client.ReceiveAsync(), await client.ReceiveAsync(), await client.ReceiveAsync() };
        foreach (var id in new[] { "a", "b" })
        {
            var own = messages.Where(m => m.Str("id") == id).Select(m => m.Str("type")).ToList();
            Assert.Equal(["next", "complete"], own);
        }

        await client.SubscribeAsync("a", "{ __typename }");
        Assert.Equal("Query", (await client.ReceiveAsync())["payload"]!["data"]!.Str("__typename"));
        Assert.Equal("complete", (await client.ReceiveAsync()).Str("type"));
    }

    [Fact]
    public async Task a_complete_for_an_unknown_operation_is_ignored()
    {
        await using var client = await GraphQLWebSocketClient.ConnectAndInitAsync(app.Host);

        await client.SendAsync(new { id = "never-started", type = "complete" });

        await AssertStillOpenAsync(client);
    }

    [Fact]
    public async Task a_token_signed_with_another_key_closes_with_4403()
    {
        var forged = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim("sub", Guid.NewGuid().ToString()), new Claim("role", "admin")]),
            Issuer = "eventstore",
            Audience = "eventstore",
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(Encoding.UTF8.GetBytes("another-signing-key-0123456789abcdef-xyz")),
                SecurityAlgorithms.HmacSha256),
        });
        await using var client = await GraphQLWebSocketClient.ConnectAsync(app.Host);

        await client.SendAsync(new { type = "connection_init", payload = new { authorization = "Bearer " + forged } });

        var (code, reason) = await client.ExpectCloseAsync();
        Assert.Equal(4403, code);
        Assert.Equal("Forbidden", reason);
    }

    private static async Task AssertStillOpenAsync(GraphQLWebSocketClient client)
    {
        await client.SendAsync(new { type = "ping", payload = new { probe = "open" } });
        var pong = await client.ReceiveAsync();
        Assert.Equal("pong", pong.Str("type"));
        Assert.Equal("open", pong["payload"]!.Str("probe"));
    }
}
