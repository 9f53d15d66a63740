using System.Net;
using System.Text;
using Alba;
using EventStore.Api.Database;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;
using EventStore.IntegrationTests.WebSockets;
using Npgsql;

namespace EventStore.IntegrationTests.Api;

/// <summary>
/// A node whose PostgreSQL goes out of reach (every connection through a <see cref="TcpForwarder"/> closed and the port
/// refused, as during a restart) answers `UNAVAILABLE` with a time to retry, never a 500 or an internal error, changes
/// nothing, and serves again once the database is back.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class DatabaseOutageTests(AppFixture app) : IAsyncLifetime
{
    private const string Me = "{ me { id } }";
    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task a_token_checked_while_the_database_is_out_of_reach_is_answered_503_with_retry_after_then_served_once_it_is_back()
    {
        await using var forwarder = Forwarder();
        await using var node = await StartNodeThroughAsync(forwarder);
        var (id, token) = await _client.RegisterAndLogInAsync("outage-token"); // node B has never checked this user

        forwarder.Cut();
        using var response = await PostAsync(node, Me, token);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
        var error = new GraphQLResponse((int)response.StatusCode, System.Text.Json.Nodes.JsonNode.Parse(body)!.AsObject(), body);
        Assert.Equal(["UNAVAILABLE"], error.Codes);
        Assert.Equal(2, error.Errors[0]["extensions"]!["retryAfter"]!.GetValue<int>());
        Assert.DoesNotContain("Npgsql", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("exception", body, StringComparison.OrdinalIgnoreCase);

        forwarder.Resume();
        Assert.Equal(id.ToString(), (await UntilServedAsync(new GraphQLClient(node), Me, token)).Ok("me").Str("id"));
    }

    [Fact]
    public async Task a_command_caught_by_the_outage_is_unavailable_and_stores_nothing()
    {
        await using var forwarder = Forwarder();
        await using var node = await StartNodeThroughAsync(forwarder);
        var onNode = new GraphQLClient(node);

        forwarder.Cut();
        var refused = await onNode.RegisterAsync("outage-register");

        Assert.Equal(["UNAVAILABLE"], refused.Codes);
        Assert.Contains("retry", refused.Errors[0]["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("Npgsql", refused.Body, StringComparison.OrdinalIgnoreCase);
        forwarder.Resume();
        // Nothing of it was stored: the username is free.
        Assert.Equal("outage-register", (await UntilServedAsync(onNode, UserScenarios.RegisterMutation,
            new { input = new { username = "outage-register", email = "outage-register@example.com", password = UserScenarios.Password } }))
            .Ok("register").Str("username"));
    }

    [Fact]
    public async Task a_websocket_whose_session_is_checked_while_the_database_is_out_of_reach_is_closed_with_1013_try_again_later()
    {
        await using var forwarder = Forwarder();
        await using var node = await StartNodeThroughAsync(forwarder);
        var (_, token) = await _client.RegisterAndLogInAsync("outage-socket");
        await using var socket = await GraphQLWebSocketClient.ConnectAsync(node);

        forwarder.Cut();
        await socket.SendAsync(new { type = "connection_init", payload = new { authorization = $"Bearer {token}" } });

        Assert.Equal(1013, (await socket.ExpectCloseAsync()).Code); // graphql-ws clients retry it; 4500 they do not
    }

    private TcpForwarder Forwarder()
    {
        var target = new NpgsqlConnectionStringBuilder(app.ConnectionString);
        return TcpForwarder.Start(target.Host!, target.Port);
    }

    private Task<IAlbaHost> StartNodeThroughAsync(TcpForwarder forwarder)
    {
        var through = new NpgsqlConnectionStringBuilder(app.ConnectionString) { Host = "127.0.0.1", Port = forwarder.Port };
        return app.StartSecondNodeAsync(("ConnectionStrings:Postgres", through.ConnectionString));
    }

    private static async Task<HttpResponseMessage> PostAsync(IAlbaHost node, string query, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(new { query }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return await node.Server.CreateClient().SendAsync(request);
    }

    /// <summary>
    /// The first requests after the database is back may still meet a pooled connection the outage closed (Npgsql
    /// learns it on use and opens a new one): a few attempts, one after the other, each answered in full.
    /// </summary>
    private static async Task<GraphQLResponse> UntilServedAsync(GraphQLClient client, string query, object? variables = null, string? token = null)
    {
        GraphQLResponse response = null!;
        for (var attempt = 0; attempt < 20; attempt++)
        {
            response = await client.SendAsync(query, variables, token);
            if (!response.Codes.Contains("UNAVAILABLE"))
            {
                return response;
            }
        }

        return response;
    }

    private static Task<GraphQLResponse> UntilServedAsync(GraphQLClient client, string query, string token) =>
        UntilServedAsync(client, query, null, token);
}

/// <summary>What counts as PostgreSQL out of reach (`UNAVAILABLE`), and what is a refusal or a fault of ours.</summary>
public sealed class DatabaseOutageClassificationTests
{
    [Theory]
    [InlineData("57P01", true)] // admin_shutdown: a restart
    [InlineData("57P03", true)] // cannot_connect_now: starting up
    [InlineData("08006", true)] // connection_failure
    [InlineData("26000", true)] // a statement Npgsql 9 believes prepared on a connection opened after a restart
    [InlineData("23505", false)] // unique_violation: a refusal, mapped elsewhere
    [InlineData("42P01", false)] // undefined_table: a fault of ours
    [InlineData("40001", false)] // serialization_failure: a conflict, retried by the handlers' policies
    public void a_database_error_is_an_outage_only_for_connection_and_shutdown_states(string sqlState, bool outage)
    {
        var postgres = new PostgresException("message", "ERROR", "ERROR", sqlState);

        Assert.Equal(outage, DatabaseOutage.Is(postgres));
        Assert.Equal(outage, DatabaseOutage.Is(new InvalidOperationException("wrapped", postgres))); // as Marten wraps it
    }

    [Fact]
    public void a_broken_socket_or_a_timeout_is_an_outage_and_a_cancellation_or_other_fault_is_not()
    {
        Assert.True(DatabaseOutage.Is(new NpgsqlException("Exception while reading from stream", new EndOfStreamException())));
        Assert.True(DatabaseOutage.Is(new NpgsqlException("The operation has timed out", new TimeoutException())));
        Assert.False(DatabaseOutage.Is(new OperationCanceledException()));
        Assert.False(DatabaseOutage.Is(new InvalidOperationException("a bug")));
        Assert.False(DatabaseOutage.Is(null));
    }
}
