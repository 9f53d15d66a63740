using Npgsql;

namespace EventStore.IntegrationTests.Infrastructure;

/// <summary>
/// Searches every row of every table of the app's database for strings, case-insensitively: the tables are found in
/// <c>information_schema</c> at run time (no hand-kept list to forget one), every column is read as text, and binary
/// columns (Wolverine's message bodies) are decoded with <c>encode(…, 'escape')</c>, which leaves ASCII as it is.
/// </summary>
public static class DatabaseScan
{
    /// <summary>The tables holding at least one of <paramref name="needles"/> (ASCII letters, digits and '-'), with how many rows.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> FindAsync(string connectionString, params string[] needles)
    {
        Assert.All(needles, n => Assert.Matches("^[A-Za-z0-9-]+$", n)); // nothing LIKE would treat as a wildcard

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = await ColumnsByTableAsync(connection);
        var hits = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var ((schema, table), columns) in tables)
        {
            var text = columns.Select(c => c.Type == "bytea" ? $"encode({Quote(c.Name)}, 'escape')" : $"{Quote(c.Name)}::text").ToList();
            var conditions = text.SelectMany(column => needles.Select((_, i) => $"{column} ilike @p{i}"));
            await using var count = new NpgsqlCommand(
                $"select count(*) from {Quote(schema)}.{Quote(table)} where {string.Join(" or ", conditions)}", connection);
            for (var i = 0; i < needles.Length; i++)
            {
                count.Parameters.AddWithValue($"p{i}", $"%{needles[i]}%");
            }

            var rows = (long)(await count.ExecuteScalarAsync())!;
            if (rows > 0)
            {
                hits[$"{schema}.{table}"] = rows;
            }
        }

        return hits;
    }

    /// <summary>Every base table outside PostgreSQL's own schemas, with its columns and their types.</summary>
    public static async Task<IReadOnlyDictionary<(string Schema, string Table), List<(string Name, string Type)>>> ColumnsByTableAsync(
        NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand(
            """
            select c.table_schema, c.table_name, c.column_name, c.data_type
            from information_schema.columns c
            join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
            where t.table_type = 'BASE TABLE'
              and c.table_schema not in ('pg_catalog', 'information_schema') and c.table_schema not like 'pg\_%'
            order by c.table_schema, c.table_name, c.ordinal_position
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var tables = new Dictionary<(string, string), List<(string, string)>>();
        while (await reader.ReadAsync())
        {
            var key = (reader.GetString(0), reader.GetString(1));
            if (!tables.TryGetValue(key, out var columns))
            {
                tables[key] = columns = [];
            }

            columns.Add((reader.GetString(2), reader.GetString(3)));
        }

        return tables;
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
