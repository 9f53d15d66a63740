using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Trading;
using EventStore.IntegrationTests.Users;
using Microsoft.Extensions.Logging;

namespace EventStore.IntegrationTests.Telemetry;

/// <summary>
/// Client errors are not faults: a validation failure, a taken username, an unknown order are answered with a code
/// and logged at Information without a stack trace; no line carries the command's personal data.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class LogTests(TelemetryFixture app) : IAsyncLifetime
{
    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task a_validation_error_writes_no_error_line_and_no_stack_trace()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("logged1");
        var mark = app.Log.Entries.Count;

        var refused = await _client.SendAsync("mutation { deposit(input: {amount: -5}) { balance } }", token: token);

        Assert.Equal("VALIDATION", Assert.Single(refused.Codes));
        var lines = app.Log.Entries.Skip(mark).ToList();
        Assert.DoesNotContain(lines, e => e.Level >= LogLevel.Error);
        var line = Assert.Single(lines, e => e.Message.Contains("refused (validation", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Null(line.Exception);
    }

    [Fact]
    public async Task a_taken_username_and_an_unknown_order_are_client_errors_and_leave_no_personal_data_in_the_log()
    {
        await _client.RegisterAndLogInAsync("logged2");
        var (_, token) = await _client.RegisterAndLogInAsync("logged3");
        var mark = app.Log.Entries.Count;

        var taken = await _client.RegisterAsync("logged2", "someone.else@example.com", "a-password-nobody-may-read");
        var unknown = await _client.SendAsync("mutation($id: ID!) { cancelOrder(input: {orderId: $id}) { order { id } } }",
            new { id = Guid.NewGuid() }, token);

        Assert.Equal("CONFLICT", Assert.Single(taken.Codes));
        Assert.Equal("NOT_FOUND", Assert.Single(unknown.Codes));
        var lines = app.Log.Entries.Skip(mark).ToList();
        Assert.DoesNotContain(lines, e => e.Level >= LogLevel.Error);
        Assert.DoesNotContain(lines, e => e.ToString().Contains("a-password-nobody-may-read", StringComparison.Ordinal)
            || e.ToString().Contains("someone.else@example.com", StringComparison.Ordinal));
        Assert.Contains(lines, e => e.Message.Contains("refused (conflict", StringComparison.Ordinal));
    }
}
