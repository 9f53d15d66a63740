using EventStore.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace EventStore.IntegrationTests.Api;

public sealed class PostgresFixtureTests(ITestOutputHelper output)
{
    private static readonly string[] Sources = ["connection", "testcontainers", "local"];

    [Fact]
    public async Task the_test_server_comes_from_the_source_the_environment_asks_for()
    {
        var source = await TestPostgres.SourceAsync();
        output.WriteLine($"PostgreSQL for this test run: {source}");

        var forced = Environment.GetEnvironmentVariable("EVENTSTORE_TEST_POSTGRES_MODE");
        if (!string.IsNullOrWhiteSpace(forced))
        {
            Assert.StartsWith(forced.Trim().ToLowerInvariant(), source, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains(source.Split(' ')[0], Sources);
        }
    }
}
