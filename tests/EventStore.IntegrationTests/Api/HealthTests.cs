using EventStore.Api.Database;
using EventStore.Api.Health;
using EventStore.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventStore.IntegrationTests.Api;

[Collection(AppCollection.Name)]
public sealed class HealthTests(AppFixture app)
{
    [Fact]
    public async Task liveness_and_readiness_answer_without_a_token()
    {
        await app.Host.Scenario(s =>
        {
            s.Get.Url("/health/live");
            s.StatusCodeShouldBe(200);
        });
        var ready = await app.Host.Scenario(s =>
        {
            s.Get.Url("/health/ready");
            s.StatusCodeShouldBe(200);
        });
        Assert.Equal("Healthy", await ready.ReadAsTextAsync());
    }

    [Fact]
    public async Task readiness_fails_when_the_event_store_schema_is_missing()
    {
        var empty = await TestPostgres.CreateDatabaseAsync("es_empty");

        var result = await Check(empty);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("schema is missing", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task readiness_fails_when_postgres_is_unreachable()
    {
        var result = await Check("Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none;Timeout=2");

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("PostgreSQL is not reachable.", result.Description);
    }

    private static async Task<HealthCheckResult> Check(string connectionString)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = connectionString })
            .Build();
        using var source = PostgresConnectionSource.Create(configuration, NullLogger.Instance);
        return await new EventStoreReadinessCheck(source).CheckHealthAsync(new HealthCheckContext());
    }
}
