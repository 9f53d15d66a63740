using EventStore.Api.Database;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using Marten;
using Npgsql;

namespace EventStore.Api.DeadLetters;

/// <summary>Running (or caught up), paused (Marten retries it), stopped (needs an operator), rebuilding, or not run by this node.</summary>
public enum ProjectionRunState
{
    Running,
    Paused,
    Stopped,
    Rebuilding,
    Unknown,
}

/// <summary>One projection or subscription: its position against the high-water mark, its dead letters and its state.</summary>
public sealed record ProjectionSnapshot(
    string Name, bool IsSubscription, long Position, long HighWaterMark, TimeSpan? OldestPendingAge, long DeadLetters,
    ProjectionRunState State, string? Failure, bool RunningHere)
{
    public long Lag => Math.Max(0, HighWaterMark - Position);
}

/// <summary>
/// Positions, lag and dead-letter counts of every projection and subscription in ONE query (readiness runs it on every
/// probe), and their run state from this node's daemon (memory, no query).
/// </summary>
public sealed class ProjectionStatusReader(
    IDocumentStore store, PostgresConnectionSource postgres, ProjectionFailureLog failures, ProjectionMetrics metrics, IServiceProvider services)
{
    private const string Schema = StoreSchema.Name;

    // Per shard: position, the high-water mark, and the commit time of the oldest event it has not reached (by primary
    // key, one index probe each); per projection name: dead letters. Rows of kind 'p' and 'd'. Marten's tombstones (the
    // sequence numbers of a failed commit) have the timestamp -infinity, and `now() - '-infinity'` is an error (22008),
    // which made `projections` INTERNAL and readiness Unhealthy whenever a tombstone was pending: they are skipped.
    private const string Sql = $"""
        with mark as (
          select coalesce((select last_seq_id from {Schema}.mt_event_progression where name = 'HighWaterMark'), 0) as seq)
        select 'p', p.name, p.last_seq_id, mark.seq,
               (select extract(epoch from now() - e.timestamp) from {Schema}.mt_events e
                where e.seq_id > p.last_seq_id and e.seq_id <= mark.seq and e.type <> 'tombstone'
                order by e.seq_id limit 1)::float8
        from {Schema}.mt_event_progression p cross join mark
        where p.name <> 'HighWaterMark'
        union all
        select 'd', d.data->>'ProjectionName', count(*), mark.seq, null::float8
        from {DeadLetterReads.Table} d cross join mark
        group by d.data->>'ProjectionName', mark.seq
        union all
        select 'm', 'HighWaterMark', mark.seq, mark.seq, null::float8 from mark
        """;

    public async Task<IReadOnlyList<ProjectionSnapshot>> ReadAsync(CancellationToken ct)
    {
        var positions = new Dictionary<string, (long Position, double? Age)>(StringComparer.Ordinal);
        var deadLetters = new Dictionary<string, long>(StringComparer.Ordinal);
        long mark = 0;
        await using (var connection = new NpgsqlConnection(postgres.ConnectionString))
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand(Sql, connection);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                switch (reader.GetString(0))
                {
                    case "p":
                        positions[reader.GetString(1)] = (reader.GetInt64(2), reader.IsDBNull(4) ? null : reader.GetDouble(4));
                        break;
                    case "d":
                        deadLetters[reader.GetString(1)] = reader.GetInt64(2);
                        break;
                    default:
                        mark = reader.GetInt64(2);
                        break;
                }
            }
        }

        var daemon = Daemon();
        var agents = daemon?.CurrentAgents() ?? [];
        var snapshot = ((StoreOptions)store.Options).Projections.AllShards()
            .GroupBy(s => s.Name.Name, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var shards = g.Select(s => s.Name).ToList();
                var position = shards.Select(s => positions.TryGetValue(s.Identity, out var p) ? p.Position : 0).Min();
                var age = shards.Select(s => positions.TryGetValue(s.Identity, out var p) ? p.Age : null).Max();
                var failure = shards.Select(s => failures.StoppedBy(s.Identity)).FirstOrDefault(f => f is not null);
                var state = failure is not null ? ProjectionRunState.Stopped : StateOf(daemon, agents, shards);
                var runningHere = shards.Any(s => agents.Any(a => a.Name.Identity == s.Identity));
                return new ProjectionSnapshot(g.Key, g.First().Role == ShardRole.Subscription, position, mark,
                    age is { } seconds ? TimeSpan.FromSeconds(seconds) : null, deadLetters.GetValueOrDefault(g.Key), state, failure,
                    runningHere);
            })
            .ToList();
        metrics.Observe(snapshot);
        return snapshot;
    }

    /// <summary>This node's daemon, if it runs one (Solo with projections); null on an API-only node.</summary>
    public IProjectionDaemon? Daemon()
    {
        try
        {
            return services.GetService<Marten.Events.Daemon.Coordination.IProjectionCoordinator>()?.DaemonForMainDatabase();
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException
                                       or Wolverine.Runtime.Agents.DaemonNotRunningOnThisNodeException)
        {
            // Wolverine-managed distribution has a daemon only on a node it assigned agents to.
            return null;
        }
    }

    private static ProjectionRunState StateOf(IProjectionDaemon? daemon, IReadOnlyList<ISubscriptionAgent> agents, List<JasperFx.Events.Projections.ShardName> shards)
    {
        if (daemon is null)
        {
            return ProjectionRunState.Unknown;
        }

        if (shards.Any(daemon.IsRebuilding))
        {
            return ProjectionRunState.Rebuilding;
        }

        var statuses = shards.Select(s => agents.FirstOrDefault(a => a.Name.Identity == s.Identity)?.Status).ToList();
        return statuses.Any(s => s is null) ? ProjectionRunState.Unknown
            : statuses.Any(s => s == AgentStatus.Stopped) ? ProjectionRunState.Stopped
            : statuses.Any(s => s == AgentStatus.Paused) ? ProjectionRunState.Paused
            : ProjectionRunState.Running;
    }
}
