using Npgsql;

namespace EventStore.LocalPostgres;

/// <summary>Connection strings to the local server and the application database it must hold.</summary>
internal static class ApplicationDatabase
{
    public static string ConnectionString(int port, string database, PostgresCredentials credentials) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Database = database,
            Username = credentials.Username,
            Password = credentials.Password,
        }.ConnectionString;

    public static async Task EnsureExistsAsync(string maintenanceConnectionString, string database, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(maintenanceConnectionString);
        await connection.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (await exists.ExecuteScalarAsync(ct) is not null)
        {
            return;
        }

        // CREATE DATABASE takes no parameters: the name goes in as a quoted identifier.
        var quoted = "\"" + database.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        await using var create = new NpgsqlCommand("CREATE DATABASE " + quoted, connection);
        await create.ExecuteNonQueryAsync(ct);
    }
}
