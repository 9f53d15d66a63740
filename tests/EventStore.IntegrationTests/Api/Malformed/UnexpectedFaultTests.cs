using System.Text;
using System.Text.Json.Nodes;
using Alba;
using EventStore.Api.GraphQL;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.WebSockets;
using GraphQL;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EventStore.IntegrationTests.Api.Malformed;

/// <summary>
/// A fault of ours (here injected: an executer that throws, standing in for any bug past the transport's checks) is a
/// 500 over HTTP and a 4500 close over WebSocket, with a generic message, logged at Error, and never the exception's
/// text or stack trace, although the host runs in Development, where ASP.NET Core would show a developer page.
/// </summary>
[Collection(MalformedRequestCollection.Name)]
public sealed class UnexpectedFaultTests(MalformedRequestFixture app) : IAsyncLifetime
{
    private const string Secret = "secret detail of the fault";
    private LogRecorder Log { get; } = new();
    private IAlbaHost _host = null!;

    public async Task InitializeAsync() => _host = await AlbaHost.For<Program>(builder =>
    {
        builder.UseSetting("ConnectionStrings:Postgres", app.ConnectionString);
        builder.UseSetting("Jwt:SigningKey", AppFixture.SigningKey);
        builder.UseSetting("Auth:Mfa:RequiredRoles", "none");
        builder.UseSetting("GraphQL:AuthAttemptsPerUsername", "0");
        builder.UseSetting("GraphQL:AuthAttemptsPerAddress", "0");
        builder.UseSetting("PersonalData:KeyEncryptionKey", AppFixture.PersonalDataKey);
        builder.UseSetting("MarketData:Enabled", "false");
        builder.UseSetting("Trading:SeedInstruments", "false");
        builder.UseSetting("EventStore:RunProjections", "false"); // the fixture's host projects this database
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.ConfigureLogging(logging => logging.AddProvider(Log));
        builder.ConfigureTestServices(services => services.AddSingleton<IDocumentExecuter<EventStoreSchema>>(new FaultyExecuter()));
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task over_http_it_is_a_500_with_a_generic_internal_error_and_it_is_logged()
    {
        using var client = _host.Server.CreateClient();
        using var content = new StringContent("""{"query":"{ __typename }"}""", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/graphql", content);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(500, (int)response.StatusCode);
        var error = JsonNode.Parse(body)!["errors"]![0]!;
        Assert.Equal("INTERNAL", error["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal("An internal error occurred. It has been logged.", error["message"]!.GetValue<string>());
        Assert.DoesNotContain(Secret, body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        // The caller's error id finds the one log line of the fault (docs/observability.md#logs).
        var errorId = error["extensions"]!["errorId"]!.GetValue<string>();
        Assert.Matches("^[0-9a-f]{16}$", errorId);
        Assert.Contains(Log.Errors, e => e.Exception?.Message == Secret && e.Message.Contains(errorId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task over_websocket_it_closes_with_4500_and_a_generic_reason_and_it_is_logged()
    {
        await using var client = await GraphQLWebSocketClient.ConnectAndInitAsync(_host);

        await client.SubscribeAsync("1", "{ __typename }");

        var (code, reason) = await client.ExpectCloseAsync();
        Assert.Equal(4500, code);
        Assert.StartsWith("Internal server error ", reason, StringComparison.Ordinal);
        var errorId = reason!["Internal server error ".Length..];
        Assert.Matches("^[0-9a-f]{16}$", errorId);
        Assert.Contains(Log.Errors, e => e.Exception?.Message == Secret && e.Message.Contains(errorId, StringComparison.Ordinal));
    }

    private sealed class FaultyExecuter : IDocumentExecuter<EventStoreSchema>
    {
        public Task<ExecutionResult> ExecuteAsync(ExecutionOptions options) => throw new InvalidOperationException(Secret);
    }
}
