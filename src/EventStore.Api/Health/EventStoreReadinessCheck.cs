using EventStore.Api.Database;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace EventStore.Api.Health;

/// <summary>Ready when PostgreSQL answers and the event store's tables exist in our schema.</summary>
public sealed class EventStoreReadinessCheck(PostgresConnectionSource postgres) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = new NpgsqlConnection(postgres.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand(
                "select to_regclass(@events) is not null and to_regclass(@streams) is not null", connection);
            command.Parameters.AddWithValue("events", $"{StoreSchema.Name}.mt_events");
            command.Parameters.AddWithValue("streams", $"{StoreSchema.Name}.mt_streams");
            var ready = (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
            return ready
                ? HealthCheckResult.Healthy("PostgreSQL reachable, event store schema in place.")
                : HealthCheckResult.Unhealthy("PostgreSQL reachable, but the event store schema is missing.");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            // The description is what operators see; no connection string or stack trace in it.
            return HealthCheckResult.Unhealthy("PostgreSQL is not reachable.");
        }
    }
}
