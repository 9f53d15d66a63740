using EventStore.Domain.Commits;
using EventStore.Domain.Trading;
using EventStore.Domain.Trading.Accounts;
using EventStore.IntegrationTests.Infrastructure;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EventStore.IntegrationTests.Trading;

/// <summary>
/// The group committer's own append for streams it remembers (docs/performance.md#known-stream-appends): one statement
/// per stream, outside any explicit transaction, that writes the rows Marten writes. Checked against Marten's own rows and
/// reads, and against the database's refusals: a stream behind its expected version, an archived stream, a stream that
/// does not exist. Real PostgreSQL, as the serving role.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class KnownStreamAppenderTests(AppFixture app) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

    private IDocumentStore Store => app.Host.Services.GetRequiredService<IDocumentStore>();

    private KnownStreamAppender Appender => app.Host.Services.GetRequiredService<KnownStreamAppender>();

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task its_rows_are_the_rows_marten_writes_and_marten_reads_them_back_as_its_own()
    {
        var (byMarten, byAppender) = (Guid.NewGuid(), Guid.NewGuid());
        await OpenAsync(byMarten, byAppender);

        await using (var session = Store.LightweightSession())
        {
            session.Events.Append(byMarten, 3, Stamped(session, new CashDeposited(byMarten, 12.34m, Now)));
            await session.SaveChangesAsync();
        }

        IEvent appended;
        await using (var session = Store.LightweightSession())
        {
            appended = Stamped(session, new CashDeposited(byAppender, 12.34m, Now));
            await Appender.AppendAsync(Store, [new KnownStreamAppend(byAppender, typeof(CashAccount), 2, [appended])]);
        }

        var (marten, ours) = (await RowAsync(byMarten, 3), await RowAsync(byAppender, 3));
        Assert.Equal(marten.Remove("stream", "data", "timestamp"), ours.Remove("stream", "data", "timestamp"));
        Assert.Equal(((string)marten["data"]!).Replace(byMarten.ToString(), "x"), ((string)ours["data"]!).Replace(byAppender.ToString(), "x"));
        Assert.Equal(appended.Timestamp.UtcTicks / 10, ((DateTime)ours["timestamp"]!).Ticks / 10); // PostgreSQL keeps microseconds

        await using var query = Store.QuerySession();
        var read = (await query.Events.FetchStreamAsync(byAppender))[^1];
        Assert.Equal((appended.Id, 3L, appended.Sequence, "correlation", "causation", "actor"),
            (read.Id, read.Version, read.Sequence, read.CorrelationId, read.CausationId, read.UserName));
        Assert.Equal(nameof(Deposit), read.GetHeader("command")?.ToString());
        Assert.Equal(new CashDeposited(byAppender, 12.34m, Now), read.Data);
        Assert.Equal(112.34m, (await query.Events.AggregateStreamAsync<CashAccount>(byAppender))!.Balance);
        Assert.Equal(3, (await query.Events.FetchStreamStateAsync(byAppender))!.Version);
    }

    [Fact]
    public async Task events_take_their_sequence_numbers_in_the_order_of_the_stream_ids_and_of_each_stream_s_versions()
    {
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        await OpenAsync(first, second);
        await using var session = Store.LightweightSession();
        IEvent[] a = [Stamped(session, new CashDeposited(first, 1m, Now)), Stamped(session, new CashWithdrawn(first, 0.5m, Now))];
        IEvent[] b = [Stamped(session, new CashDeposited(second, 2m, Now))];

        await Appender.AppendAsync(Store, [new KnownStreamAppend(second, typeof(CashAccount), 2, b), new KnownStreamAppend(first, typeof(CashAccount), 2, a)]);

        Assert.Equal([3L, 3L, 4L], [b[0].Version, a[0].Version, a[1].Version]);
        Assert.True(a[0].Sequence < a[1].Sequence);
        Assert.True(first.CompareTo(second) < 0 ? a[1].Sequence < b[0].Sequence : b[0].Sequence < a[0].Sequence);
        await using var query = Store.QuerySession();
        var stored = (await query.Events.FetchStreamAsync(first)).Skip(2).Concat((await query.Events.FetchStreamAsync(second)).Skip(2));
        Assert.Equal([a[0].Sequence, a[1].Sequence, b[0].Sequence], stored.Select(e => e.Sequence));
        Assert.Equal(100.5m, (await query.Events.AggregateStreamAsync<CashAccount>(first))!.Balance);
    }

    /// <summary>
    /// A writer of the same version still in its transaction (Marten's append inserts the event row, then moves the stream
    /// row) when the group is sent: the appender waits on the events' unique key (or, if it comes later, finds the
    /// writer's outcome). If that writer commits, the group is refused whole; if it rolls back, the group goes in. Never
    /// a deadlock, never half a group. (Whether the call is already waiting when the writer ends is not observed: tests
    /// never poll, and PostgreSQL announces no lock wait; both orders must give these outcomes.)
    /// </summary>
    [Fact]
    public async Task a_writer_of_the_same_version_in_flight_makes_the_group_wait_then_refused_if_it_commits_and_stored_if_not()
    {
        var (raced, bystander) = (Guid.NewGuid(), Guid.NewGuid());
        await OpenAsync(raced, bystander);

        var racedVersion = 2L; // the raced stream's version as the appender knows it
        foreach (var writerCommits in new[] { true, false })
        {
            await using var writer = new NpgsqlConnection(app.ConnectionString);
            await writer.OpenAsync();
            await using var transaction = await writer.BeginTransactionAsync();
            await using (var append = new NpgsqlCommand(
                """
                insert into eventstore.mt_events (seq_id, id, stream_id, version, data, type, timestamp, mt_dotnet_type)
                    values (nextval('eventstore.mt_events_sequence'), gen_random_uuid(), @s, @v + 1,
                            jsonb_build_object('AccountId', @s, 'Amount', 7, 'DepositedAt', '2026-12-06T09:00:00+00:00'),
                            'cash_deposited', now(), 'EventStore.Domain.Trading.Accounts.CashDeposited, EventStore.Domain');
                update eventstore.mt_streams set version = @v + 1 where id = @s;
                """, writer, transaction))
            {
                append.Parameters.AddWithValue("s", raced);
                append.Parameters.AddWithValue("v", racedVersion);
                await append.ExecuteNonQueryAsync();
            }

            await using var session = Store.LightweightSession();
            var appending = Appender.AppendAsync(Store,
            [
                new KnownStreamAppend(bystander, typeof(CashAccount), 2, [Stamped(session, new CashDeposited(bystander, 1m, Now))]),
                new KnownStreamAppend(raced, typeof(CashAccount), racedVersion, [Stamped(session, new CashDeposited(raced, 1m, Now))]),
            ]);
            if (writerCommits)
            {
                await transaction.CommitAsync();
                await Assert.ThrowsAsync<EventStreamUnexpectedMaxEventIdException>(() => appending);
                racedVersion++;
            }
            else
            {
                await transaction.RollbackAsync();
                await appending;
            }
        }

        await using var query = Store.QuerySession();
        Assert.Equal(108m, (await query.Events.AggregateStreamAsync<CashAccount>(raced))!.Balance); // the writer's 7, then the group's 1
        Assert.Equal(101m, (await query.Events.AggregateStreamAsync<CashAccount>(bystander))!.Balance); // stored once, the second time
        Assert.Equal(3, (await query.Events.FetchStreamStateAsync(bystander))!.Version);
    }

    /// <summary>
    /// Another writer moved one stream of the batch on: the batch is refused whole, before any sequence number is taken
    /// (a gap would hold the daemon's high-water mark back until it gives up on it); so is that stream appended alone.
    /// </summary>
    [Fact]
    public async Task a_stream_behind_its_expected_version_refuses_the_whole_batch_and_takes_no_sequence_number()
    {
        var (ahead, behind) = (Guid.NewGuid(), Guid.NewGuid());
        await OpenAsync(ahead, behind);
        await using (var elsewhere = Store.LightweightSession())
        {
            elsewhere.Events.Append(behind, new CashDeposited(behind, 5m, Now));
            await elsewhere.SaveChangesAsync();
        }

        var sequenceBefore = await ScalarAsync<long>("select last_value from eventstore.mt_events_sequence");
        await using var session = Store.LightweightSession();
        var refused = await Assert.ThrowsAsync<EventStreamUnexpectedMaxEventIdException>(() => Appender.AppendAsync(Store,
        [
            new KnownStreamAppend(ahead, typeof(CashAccount), 2, [Stamped(session, new CashDeposited(ahead, 1m, Now))]),
            new KnownStreamAppend(behind, typeof(CashAccount), 2, [Stamped(session, new CashDeposited(behind, 1m, Now))]),
        ]));

        Assert.Equal(behind, refused.Id);
        Assert.Equal(sequenceBefore, await ScalarAsync<long>("select last_value from eventstore.mt_events_sequence"));

        // Alone (no group check first), the stream's own statement refuses it before its event takes a number.
        var alone = await Assert.ThrowsAsync<EventStreamUnexpectedMaxEventIdException>(() => Appender.AppendAsync(Store,
            [new KnownStreamAppend(behind, typeof(CashAccount), 2, [Stamped(session, new CashDeposited(behind, 1m, Now))])]));
        Assert.Equal(behind, alone.Id);
        Assert.Equal(sequenceBefore, await ScalarAsync<long>("select last_value from eventstore.mt_events_sequence"));
        await using var query = Store.QuerySession();
        Assert.Equal(2, (await query.Events.FetchStreamStateAsync(ahead))!.Version);
        Assert.Equal(3, (await query.Events.FetchStreamStateAsync(behind))!.Version);
        Assert.Equal(2, (await query.Events.FetchStreamAsync(ahead)).Count);
        Assert.Equal(3, (await query.Events.FetchStreamAsync(behind)).Count);
    }

    [Fact]
    public async Task an_archived_stream_and_a_stream_that_does_not_exist_are_refused()
    {
        var (archived, missing) = (Guid.NewGuid(), Guid.NewGuid());
        await OpenAsync(archived);
        await using (var session = Store.LightweightSession())
        {
            session.Events.ArchiveStream(archived);
            await session.SaveChangesAsync();
        }

        await using var appending = Store.LightweightSession();
        var refusedArchived = await Assert.ThrowsAsync<EventStreamUnexpectedMaxEventIdException>(() => Appender.AppendAsync(Store,
            [new KnownStreamAppend(archived, typeof(CashAccount), 2, [Stamped(appending, new CashDeposited(archived, 1m, Now))])]));
        var refusedMissing = await Assert.ThrowsAsync<EventStreamUnexpectedMaxEventIdException>(() => Appender.AppendAsync(Store,
            [new KnownStreamAppend(missing, typeof(CashAccount), 0, [Stamped(appending, new CashDeposited(missing, 1m, Now))])]));

        Assert.Equal((archived, missing), (refusedArchived.Id, refusedMissing.Id));
        Assert.Equal(0, await ScalarAsync<long>($"select count(*) from eventstore.mt_events where stream_id = '{missing}' or (stream_id = '{archived}' and version > 2)"));
        await Assert.ThrowsAsync<ArgumentException>(() => Appender.AppendAsync(Store, [new KnownStreamAppend(archived, null, 2, [])]));
    }

    [Fact]
    public async Task the_schema_set_up_drops_the_functions_earlier_versions_appended_through_and_keeps_its_own()
    {
        // As an older main left them: the per-stream function (tenth round) and, for a few commits, the whole-group one.
        await ExecuteAsync("""
            create or replace function eventstore.es_append_known_stream(uuid, bigint, uuid[], varchar[], varchar[], jsonb[],
                timestamptz[], varchar[], varchar[], jsonb[], varchar[]) returns bigint[] language sql as 'select null::bigint[]';
            create or replace function eventstore.es_append_known_streams(uuid[], bigint[], uuid[], bigint[], uuid[], varchar[],
                varchar[], jsonb[], timestamptz[], varchar[], varchar[], jsonb[], varchar[]) returns bigint[] language sql as 'select null::bigint[]';
            """);

        await ExecuteAsync(KnownStreamAppender.Ddl("eventstore"));

        Assert.Equal([KnownStreamAppender.CheckFunctionName, KnownStreamAppender.RefusalFunctionName], await ScalarAsync<string[]>(
            "select array_agg(proname::text order by proname) from pg_proc where pronamespace = 'eventstore'::regnamespace and proname like 'es\\_%known\\_%'"));
    }

    /// <summary>Opens each account and deposits 100 (version 2) through Marten.</summary>
    private async Task OpenAsync(params Guid[] accounts)
    {
        await using var session = Store.LightweightSession();
        foreach (var account in accounts)
        {
            session.Events.StartStream<CashAccount>(account, new CashAccountOpened(account, Guid.NewGuid(), "USD", Now), new CashDeposited(account, 100m, Now));
        }

        await session.SaveChangesAsync();
    }

    private static IEvent Stamped(IDocumentSession session, object data) =>
        new Domain.Auditing.EventStamp("correlation", "causation", "actor", nameof(Deposit)).Apply(session.Events.BuildEvent(data));

    /// <summary>Every column of the stream's event at that version, with the stream's own id replaced and the sequence and event ids left out.</summary>
    private async Task<Dictionary<string, object?>> RowAsync(Guid stream, long version)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select * from eventstore.mt_events where stream_id = @s and version = @v", connection);
        command.Parameters.AddWithValue("s", stream);
        command.Parameters.AddWithValue("v", version);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var row = new Dictionary<string, object?>();
        for (var i = 0; i < reader.FieldCount; i++)
        {
            var name = reader.GetName(i);
            if (name is "seq_id" or "id")
            {
                continue;
            }

            row[name == "stream_id" ? "stream" : name] = reader.IsDBNull(i) ? null : reader.GetValue(i);
        }

        return row;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}

internal static class RowExtensions
{
    public static Dictionary<string, object?> Remove(this Dictionary<string, object?> row, params string[] columns) =>
        row.Where(c => !columns.Contains(c.Key)).ToDictionary(c => c.Key, c => c.Value);
}
