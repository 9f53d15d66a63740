using System.Diagnostics;
using EventStore.LocalPostgres;
using JasperFx;
using Marten;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using Weasel.Core;

namespace EventStore.Bench.Export;

/// <summary>
/// The bench's own PostgreSQL (the app's embedded launcher, its data under the work directory, reused by later runs) and
/// the bulk load: the app's domain events with full metadata, as rows Marten itself would write (see <see cref="AppendAsync"/>).
/// </summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private const string Schema = "eventstore";
    private const int SessionSize = EventGenerator.SessionSize;

    private readonly LocalPostgresServer _server;

    private BenchDatabase(LocalPostgresServer server) => _server = server;

    public string ConnectionString => _server.ConnectionString;

    /// <summary>The postmaster; its children are the backends (CPU accounting).</summary>
    public int PostmasterPid => int.Parse(File.ReadLines(Path.Combine(_server.DataDirectory, "postmaster.pid")).First(),
        System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<BenchDatabase> StartAsync(string dataDirectory)
    {
        var server = await LocalPostgresServer.StartAsync(new LocalPostgresOptions { DataDirectory = dataDirectory, Database = "eventstore_bench" },
            NullLogger.Instance);
        Report.Line($"PostgreSQL on 127.0.0.1:{server.Port}, data in {server.DataDirectory}");
        return new BenchDatabase(server);
    }

    public async Task<long> EventCountAsync() => await ScalarAsync($"select count(*) from {Schema}.mt_events");

    public async Task<long> LedgerHeadAsync() => await ScalarAsync($"select coalesce(max(seq_id), 0) from {Schema}.audit_ledger");

    /// <summary>
    /// Appends <paramref name="count"/> events: quotes, orders placed and filled, deposits, each operation with its own
    /// correlation and causation ids, actor and command header (as the app's handlers stamp them). Marten's own serializer
    /// and event names with the app's settings make the rows; binary COPY writes them (Marten appends about 5,000 events/s
    /// here, COPY twenty times that), in sessions of <see cref="SessionSize"/> events sharing one store timestamp.
    /// </summary>
    public async Task<long> AppendAsync(long count)
    {
        using var store = DocumentStore.For(options =>
        {
            // The app's event store settings (EventStoreSetup); the schema already exists: the app created it.
            options.Connection(ConnectionString);
            options.DatabaseSchemaName = Schema;
            options.Events.MetadataConfig.CorrelationIdEnabled = true;
            options.Events.MetadataConfig.CausationIdEnabled = true;
            options.Events.MetadataConfig.UserNameEnabled = true;
            options.Events.MetadataConfig.HeadersEnabled = true;
            options.AutoCreateSchemaObjects = AutoCreate.None;
            options.UseSystemTextJsonForSerialization(EnumStorage.AsString);
        });
        var serializer = store.Options.Serializer();
        var names = new Dictionary<Type, (string Alias, string DotNet)>();
        (string Alias, string DotNet) Name(Type type)
        {
            if (!names.TryGetValue(type, out var name))
            {
                name = names[type] = (((Marten.Events.EventGraph)store.Options.Events).EventMappingFor(type).EventTypeName, $"{type.FullName}, {type.Assembly.GetName().Name}");
            }

            return name;
        }

        var generator = new EventGenerator();
        var progress = Stopwatch.StartNew();
        long written = 0;
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        while (written < count)
        {
            var chunk = generator.Next((int)Math.Min(50_000, count - written));
            var first = await ReserveSequenceAsync(connection, chunk.Count);
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var streams = await connection.BeginBinaryImportAsync(
                $"copy {Schema}.mt_streams (id, version, timestamp, created, tenant_id, is_archived) from stdin (format binary)"))
            {
                foreach (var e in chunk.Where(e => e.Version == 1))
                {
                    await streams.WriteRowAsync(default, e.StreamId, 1L, e.Timestamp, e.Timestamp, "*DEFAULT*", false);
                }

                await streams.CompleteAsync();
            }

            await using (var events = await connection.BeginBinaryImportAsync(
                $"""
                copy {Schema}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type,
                    correlation_id, causation_id, headers, user_name, is_archived) from stdin (format binary)
                """))
            {
                var sequence = first;
                foreach (var e in chunk)
                {
                    var (alias, dotNet) = Name(e.Data.GetType());
                    await events.StartRowAsync();
                    await events.WriteAsync(sequence++, NpgsqlDbType.Bigint);
                    await events.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                    await events.WriteAsync(e.StreamId, NpgsqlDbType.Uuid);
                    await events.WriteAsync(e.Version, NpgsqlDbType.Bigint);
                    await events.WriteAsync(serializer.ToJson(e.Data), NpgsqlDbType.Jsonb);
                    await events.WriteAsync(alias, NpgsqlDbType.Varchar);
                    await events.WriteAsync(e.Timestamp, NpgsqlDbType.TimestampTz);
                    await events.WriteAsync("*DEFAULT*", NpgsqlDbType.Varchar);
                    await events.WriteAsync(dotNet, NpgsqlDbType.Varchar);
                    await events.WriteAsync(e.CorrelationId, NpgsqlDbType.Varchar);
                    await events.WriteAsync(e.CausationId, NpgsqlDbType.Varchar);
                    await events.WriteAsync(serializer.ToJson(new Dictionary<string, object> { ["command"] = e.Command }), NpgsqlDbType.Jsonb);
                    await events.WriteAsync(e.Actor, NpgsqlDbType.Varchar);
                    await events.WriteAsync(false, NpgsqlDbType.Boolean);
                }

                await events.CompleteAsync();
            }

            await transaction.CommitAsync();
            written += chunk.Count;
            if (progress.Elapsed > TimeSpan.FromSeconds(10))
            {
                Report.Line($"  {written:N0} of {count:N0} events");
                progress.Restart();
            }
        }

        // Streams appended to across sessions carry their final version, as Marten leaves them.
        await ExecuteAsync($"""
            update {Schema}.mt_streams s set version = m.version
            from (select stream_id, max(version) as version from {Schema}.mt_events group by stream_id) m
            where s.id = m.stream_id and s.version <> m.version
            """);
        return written;
    }

    private static async Task<long> ReserveSequenceAsync(NpgsqlConnection connection, int count)
    {
        // Marten's own sequence, so the app's later appends continue after the bench's.
        await using var command = new NpgsqlCommand(
            $"select setval('{Schema}.mt_events_sequence', nextval('{Schema}.mt_events_sequence') + @n - 1) - @n + 1", connection);
        command.Parameters.AddWithValue("n", (long)count);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Lets the app's ledger chain everything. The app runs without projections here (so the measured process does no
    /// projection work), so the bench moves Marten's high-water mark itself, as the daemon would once the appends are over.
    /// </summary>
    public async Task<(long Records, TimeSpan Elapsed)> ChainAsync(bool fromScratch)
    {
        if (fromScratch)
        {
            // The ledger's own tables only (the app's ledger builder then starts the chain again from sequence 1).
            await ExecuteAsync($"truncate {Schema}.audit_ledger, {Schema}.audit_checkpoints");
        }

        var before = await LedgerHeadAsync();
        var target = await ScalarAsync($"select coalesce(max(seq_id), 0) from {Schema}.mt_events");
        await ExecuteAsync($"""
            insert into {Schema}.mt_event_progression (name, last_seq_id, last_updated) values ('HighWaterMark', {target}, now())
            on conflict (name) do update set last_seq_id = excluded.last_seq_id, last_updated = excluded.last_updated
            """);
        var elapsed = Stopwatch.StartNew();
        var deadline = TimeSpan.FromMinutes(15);
        while (await LedgerHeadAsync() < target)
        {
            if (elapsed.Elapsed > deadline)
            {
                throw new TimeoutException($"The ledger did not reach sequence {target} within {deadline}.");
            }

            await Task.Delay(100);
        }

        return (target - before, elapsed.Elapsed);
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();
}
