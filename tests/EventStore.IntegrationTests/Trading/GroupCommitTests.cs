using System.Diagnostics.Metrics;
using EventStore.Domain.Auditing;
using EventStore.Domain.Commits;
using EventStore.Domain.Trading;
using EventStore.Domain.Trading.Accounts;
using EventStore.IntegrationTests.Infrastructure;
using Alba;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EventStore.IntegrationTests.Trading;

/// <summary>
/// Group commit of cash commands (docs/performance.md#group-commit): the commands waiting together share one
/// transaction, each caller gets its own answer and each event its own command's audit metadata, a refusal sinks
/// nothing, and a failed shared commit is retried command by command. The committer's turn is held open by a decision
/// that waits on the test, so what waits together is decided by the test, not by timing. Which transaction wrote an
/// event is PostgreSQL's own record of it: the row's <c>xmin</c>.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class GroupCommitTests(AppFixture app) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);

    private GroupCommitter<CashAccount> Committer => app.Host.Services.GetRequiredService<GroupCommitter<CashAccount>>();

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task commands_waiting_together_share_one_transaction_and_each_keeps_its_own_answer_and_metadata()
    {
        using var sizes = new CommitSizes(app.Host.Services.GetRequiredService<IMeterFactory>());
        var appended = app.Host.Services.GetRequiredService<KnownStreamAppender>().Committed;
        var (holder, held) = HoldTheTurn(Guid.NewGuid());
        var users = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToArray();

        var answers = users.Select((u, i) => Deposit(u, 10m + i, Stamp($"waiting-{i}"))).ToArray();
        var second = Deposit(users[0], 5m, Stamp("same-account")); // same stream as the first: the next transaction
        holder.Set();

        Assert.Equal(1m, (await held.WaitAsync(Patience)).Balance);
        Assert.Equal([10m, 11m, 12m], (await Task.WhenAll(answers).WaitAsync(Patience)).Select(a => a.Balance));
        Assert.Equal(15m, (await second.WaitAsync(Patience)).Balance);

        var rows = await EventRowsAsync(users);
        var deposits = rows.Where(r => r.Type == "cash_deposited").ToArray();
        Assert.Equal(4, deposits.Length);
        var together = deposits.Where(r => r.Correlation?.StartsWith("waiting-", StringComparison.Ordinal) == true).ToArray();
        Assert.Single(together.Select(r => r.Transaction).Distinct());
        Assert.All(rows.Where(r => r.Correlation?.StartsWith("waiting-", StringComparison.Ordinal) == true),
            r => Assert.Equal(together[0].Transaction, r.Transaction)); // the three accounts opened in it too
        Assert.NotEqual(together[0].Transaction, deposits.Single(r => r.Correlation == "same-account").Transaction);
        Assert.All(rows, r =>
        {
            Assert.Equal($"cause-of-{r.Correlation}", r.Causation);
            Assert.Equal($"actor-of-{r.Correlation}", r.Actor);
            Assert.Equal(nameof(Deposit), r.Command);
        });
        Assert.Equal(["waiting-0", "waiting-1", "waiting-2"],
            together.OrderBy(r => r.Amount).Select(r => r.Correlation));
        Assert.Equal([(1, "committed"), (3, "committed"), (1, "committed")], sizes.Recorded); // eventstore.group_commit.commands
        // Accounts it had to read (new ones here) go through Marten's session and its transaction; only the second deposit
        // on the first account, remembered by then, goes through the appender.
        Assert.Equal(appended + 1, app.Host.Services.GetRequiredService<KnownStreamAppender>().Committed);
    }

    /// <summary>
    /// Accounts the committer remembers are appended by <see cref="KnownStreamAppender"/>: one call that is its own
    /// transaction (so the commands waiting together still share one), and counted on `eventstore.events.appended` like
    /// any append, though Marten's listeners never hear it.
    /// </summary>
    [Fact]
    public async Task remembered_accounts_are_appended_together_in_one_call_and_counted_like_any_append()
    {
        var users = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToArray();
        foreach (var user in users)
        {
            await Deposit(user, 10m, Stamp($"opening-{user}")).WaitAsync(Patience);
        }

        var holding = Guid.NewGuid();
        await Deposit(holding, 1m, Stamp("opening-holder")).WaitAsync(Patience);
        long counted = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, app.Host.Services.GetRequiredService<IMeterFactory>())
                && instrument.Name == "eventstore.events.appended")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, count, _, _) => Interlocked.Add(ref counted, count));
        listener.Start();
        var appender = app.Host.Services.GetRequiredService<KnownStreamAppender>();
        var committedBefore = appender.Committed;
        var (holder, held) = HoldTheTurn(holding);

        var answers = users.Select((u, i) => Deposit(u, 1m + i, Stamp($"remembered-{i}"))).ToArray();
        holder.Set();

        Assert.Equal(2m, (await held.WaitAsync(Patience)).Balance);
        Assert.Equal([11m, 12m, 13m], (await Task.WhenAll(answers).WaitAsync(Patience)).Select(a => a.Balance));
        var together = (await EventRowsAsync(users)).Where(r => r.Correlation?.StartsWith("remembered-", StringComparison.Ordinal) == true).ToArray();
        Assert.Equal(3, together.Length);
        Assert.Single(together.Select(r => r.Transaction).Distinct());
        Assert.All(together, r => Assert.Equal(($"cause-of-{r.Correlation}", $"actor-of-{r.Correlation}", nameof(Deposit)), (r.Causation, r.Actor, r.Command)));
        Assert.Equal(4, Interlocked.Read(ref counted)); // the holder's deposit and the three together
        Assert.Equal(committedBefore + 2, appender.Committed); // the holder's group, then the three's: both by the appender
        await AssertSnapshotsAreTheStreamsAsync(app.Host, users, users.Select((u, i) => (u, 11m + i)).ToDictionary(p => p.u, p => p.Item2));
    }

    [Fact]
    public async Task a_refused_command_appends_nothing_and_sinks_none_of_the_others()
    {
        var (rich, poor) = (Guid.NewGuid(), Guid.NewGuid());
        await Deposit(rich, 100m, Stamp("opening-rich")).WaitAsync(Patience);
        await Deposit(poor, 1m, Stamp("opening-poor")).WaitAsync(Patience);
        var (holder, held) = HoldTheTurn(Guid.NewGuid());

        var refused = Withdraw(poor, 1.01m, Stamp("too-much"));
        var paid = Withdraw(rich, 40m, Stamp("enough"));
        holder.Set();
        await held.WaitAsync(Patience);

        await Assert.ThrowsAsync<InsufficientFundsException>(() => refused.WaitAsync(Patience));
        Assert.Equal(60m, (await paid.WaitAsync(Patience)).Balance);
        var rows = await EventRowsAsync([rich, poor]);
        Assert.DoesNotContain(rows, r => r.Correlation == "too-much");
        Assert.Single(rows, r => r.Correlation == "enough" && r.Type == "cash_withdrawn");
        await using var session = app.Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        Assert.Equal(1m, (await CashAccountReads.LatestAsync(session, TradingIds.AccountOf(poor)))!.Balance);
        Assert.Equal(60m, (await CashAccountReads.LatestAsync(session, TradingIds.AccountOf(rich)))!.Balance);
    }

    /// <summary>
    /// One account moves on between the batch's load and its commit (as another node would move it): the shared
    /// transaction fails and stores nothing, then each command is decided again on fresh state and committed alone.
    /// </summary>
    [Fact]
    public async Task when_the_shared_commit_fails_each_command_is_decided_again_and_committed_alone()
    {
        var (moved, other) = (Guid.NewGuid(), Guid.NewGuid());
        await Deposit(moved, 10m, Stamp("opening-moved")).WaitAsync(Patience);
        await Deposit(other, 10m, Stamp("opening-other")).WaitAsync(Patience);
        using var sizes = new CommitSizes(app.Host.Services.GetRequiredService<IMeterFactory>());
        var (holder, held) = HoldTheTurn(Guid.NewGuid());
        using var decided = new ManualResetEventSlim();
        using var goOn = new ManualResetEventSlim();
        var decisions = 0;

        var racing = Committer.CommitAsync(TradingIds.AccountOf(moved), Stamp("racing"), account =>
        {
            Interlocked.Increment(ref decisions);
            decided.Set();
            goOn.Wait(Patience);
            return Decision(account, new Deposit(moved, 1m));
        });
        var bystander = Deposit(other, 2m, Stamp("bystander"));
        holder.Set();
        await held.WaitAsync(Patience);
        Assert.True(decided.Wait(Patience));
        await using (var elsewhere = app.Host.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            elsewhere.Events.Append(TradingIds.AccountOf(moved), new CashDeposited(TradingIds.AccountOf(moved), 100m, Now));
            await elsewhere.SaveChangesAsync();
        }

        goOn.Set();

        Assert.Equal(111m, (await racing.WaitAsync(Patience)).Balance);
        Assert.Equal(12m, (await bystander.WaitAsync(Patience)).Balance);
        Assert.Equal(2, decisions);
        Assert.Equal([(1, "committed"), (2, "retried_alone")], sizes.Recorded);
        var rows = await EventRowsAsync([moved, other]);
        Assert.NotEqual(rows.Single(r => r.Correlation == "racing").Transaction, rows.Single(r => r.Correlation == "bystander").Transaction);
        await AssertSnapshotsAreTheStreamsAsync(app.Host, [moved], new Dictionary<Guid, decimal> { [moved] = 111m });
    }

    /// <summary>
    /// The committer decides a remembered account's next command without loading it. Another session of this node
    /// appending to it (a deposit under an idempotency key, an order's reservation) makes it forget the account, so the
    /// next command loads it instead of failing on the version it remembered; the snapshot row stays the replayed stream.
    /// </summary>
    [Fact]
    public async Task an_append_by_another_session_of_this_node_makes_the_committer_load_the_account_again()
    {
        var users = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToArray();
        foreach (var user in users)
        {
            await Deposit(user, 10m, Stamp("opening")).WaitAsync(Patience);
        }

        Assert.True(Committer.Remembered >= users.Length);
        using var sizes = new CommitSizes(app.Host.Services.GetRequiredService<IMeterFactory>());
        var expected = users.ToDictionary(u => u, _ => 10m);
        for (var round = 0; round < 4; round++)
        {
            foreach (var user in users)
            {
                expected[user] += 1m;
                Assert.Equal(expected[user], (await Deposit(user, 1m, Stamp($"remembered-{round}")).WaitAsync(Patience)).Balance);
            }

            var elsewhere = users[round % users.Length];
            await using (var session = app.Host.Services.GetRequiredService<IDocumentStore>().LightweightSession())
            {
                var stream = await session.Events.FetchForWriting<CashAccount>(TradingIds.AccountOf(elsewhere));
                stream.AppendOne(new CashDeposited(TradingIds.AccountOf(elsewhere), 100m, Now));
                await session.SaveChangesAsync();
            }

            expected[elsewhere] += 100m;
            expected[elsewhere] -= 0.5m;
            Assert.Equal(expected[elsewhere], (await Withdraw(elsewhere, 0.5m, Stamp($"after-elsewhere-{round}")).WaitAsync(Patience)).Balance);
        }

        Assert.All(sizes.Recorded, r => Assert.Equal("committed", r.Item2)); // forgotten, not refused
        await AssertSnapshotsAreTheStreamsAsync(app.Host, users, expected);
    }

    /// <summary>
    /// Another node appends to an account this node's committer remembers: nothing tells this node, so its next command is
    /// decided on the state it remembered, and the append's expected version makes PostgreSQL refuse the commit. The
    /// command is then decided again on the account as stored, and committed alone; the account is then read before every
    /// command for a while (written by two nodes). A refusal on a remembered state is decided again on the stored one.
    /// </summary>
    [Fact]
    public async Task an_account_moved_on_by_another_node_is_refused_at_commit_and_decided_again_on_fresh_state()
    {
        var (user, refused, covered) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        Assert.Equal(10m, (await Deposit(user, 10m, Stamp("opening")).WaitAsync(Patience)).Balance);
        await using var other = await app.StartSecondNodeAsync();
        var there = other.Services.GetRequiredService<GroupCommitter<CashAccount>>();
        Task<CashBalance> DepositThere(Guid owner, decimal amount) => there.CommitAsync(TradingIds.AccountOf(owner), Stamp("other-node"),
            account => Decision(account, new Deposit(owner, amount)));
        Assert.Equal(15m, (await DepositThere(user, 5m).WaitAsync(Patience)).Balance);

        using var sizes = new CommitSizes(app.Host.Services.GetRequiredService<IMeterFactory>());
        var decisions = new List<decimal?>();
        var answer = await Committer.CommitAsync(TradingIds.AccountOf(user), Stamp("after-the-other-node"), account =>
        {
            decisions.Add(account?.Balance);
            return Decision(account, new Deposit(user, 1m));
        }).WaitAsync(Patience);

        Assert.Equal(16m, answer.Balance);
        Assert.Equal([10m, 15m], decisions); // first on what it remembered, then on the account as stored
        Assert.Equal([(1, "retried_alone")], sizes.Recorded);

        // Written by both nodes: for a while this node reads it before every command instead of remembering it, so the
        // other node's next deposit costs no refused group (no retried_alone below).
        Assert.Equal(17m, (await Deposit(user, 1m, Stamp("contested")).WaitAsync(Patience)).Balance);
        Assert.Equal(117m, (await DepositThere(user, 100m).WaitAsync(Patience)).Balance);
        Assert.Equal(67m, (await Withdraw(user, 50m, Stamp("contested-withdrawal")).WaitAsync(Patience)).Balance);
        Assert.Equal([(1, "retried_alone"), (1, "committed"), (1, "committed")], sizes.Recorded);

        // An account this node's session loaded for a decision it refused (not remembered, but in the session's identity
        // map), then moved on by the other node: it is loaded again in a new session, never taken from the old one.
        Assert.Equal(10m, (await DepositThere(refused, 10m).WaitAsync(Patience)).Balance);
        await Assert.ThrowsAsync<InsufficientFundsException>(() => Withdraw(refused, 50m, Stamp("refused-here")).WaitAsync(Patience));
        Assert.Equal(15m, (await DepositThere(refused, 5m).WaitAsync(Patience)).Balance);
        Assert.Equal(16m, (await Deposit(refused, 1m, Stamp("after-a-refusal")).WaitAsync(Patience)).Balance);

        // A withdrawal only the other node's deposit covers, on an account this node remembers: refused on the remembered
        // balance (10), which nothing checks when nothing is appended, so it is decided again on the stored one (110): paid.
        Assert.Equal(10m, (await Deposit(covered, 10m, Stamp("remembered")).WaitAsync(Patience)).Balance);
        Assert.Equal(110m, (await DepositThere(covered, 100m).WaitAsync(Patience)).Balance);
        Assert.Equal(60m, (await Withdraw(covered, 50m, Stamp("covered-elsewhere")).WaitAsync(Patience)).Balance);
        await AssertSnapshotsAreTheStreamsAsync(app.Host, [user, refused, covered],
            new Dictionary<Guid, decimal> { [user] = 67m, [refused] = 16m, [covered] = 60m });
    }

    private static async Task AssertSnapshotsAreTheStreamsAsync(IAlbaHost host, IEnumerable<Guid> users, Dictionary<Guid, decimal> balances)
    {
        await using var session = host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        foreach (var user in users)
        {
            var replayed = await session.Events.AggregateStreamAsync<CashAccount>(TradingIds.AccountOf(user));
            var row = await CashAccountReads.LatestAsync(session, TradingIds.AccountOf(user));
            Assert.Equal(balances[user], replayed!.Balance);
            Assert.Equal(balances[user], row!.Balance);
            Assert.Equal(replayed.Version, row.Version);
        }
    }

    /// <summary>Starts a deposit whose decision waits for the returned event: until it is set, everything else waits.</summary>
    private (ManualResetEventSlim Holder, Task<CashBalance> Held) HoldTheTurn(Guid userId)
    {
        var holder = new ManualResetEventSlim();
        var entered = new ManualResetEventSlim();
        // Started from the thread pool: the leading caller may run the decision on its own thread (when the load
        // completes at once), and this thread must stay free to submit the others.
        var held = Task.Run(() => Committer.CommitAsync(TradingIds.AccountOf(userId), Stamp("holder"), account =>
        {
            entered.Set();
            holder.Wait(Patience);
            return Decision(account, new Deposit(userId, 1m));
        }));
        Assert.True(entered.Wait(Patience), "the holding decision never ran");
        return (holder, held);
    }

    private Task<CashBalance> Deposit(Guid userId, decimal amount, EventStamp stamp) =>
        Committer.CommitAsync(TradingIds.AccountOf(userId), stamp, account => Decision(account, new Deposit(userId, amount)));

    private Task<CashBalance> Withdraw(Guid userId, decimal amount, EventStamp stamp) =>
        Committer.CommitAsync(TradingIds.AccountOf(userId), stamp,
            account => CashBalance.Decided(account, WithdrawHandler.Decide(account, new Withdraw(userId, amount), Now)));

    private static Decision<CashAccount, CashBalance> Decision(CashAccount? account, Deposit command) =>
        CashBalance.Decided(account, DepositHandler.Decide(account, command, Now));

    private static EventStamp Stamp(string correlation) =>
        new(correlation, $"cause-of-{correlation}", $"actor-of-{correlation}", nameof(Deposit));

    /// <summary>
    /// What this host's committer records on <c>eventstore.group_commit.commands</c> while it lives. A meter listener hears
    /// the whole process, and other test collections' hosts commit deposits in parallel: only instruments of this host's
    /// meter factory (the meter's scope) count.
    /// </summary>
    private sealed class CommitSizes : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<(int, string)> _recorded = [];

        public CommitSizes(IMeterFactory host)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, host) && instrument.Meter.Name == GroupCommitTelemetry.Name &&
                    instrument.Name == "eventstore.group_commit.commands")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<int>((_, size, tags, _) =>
            {
                var outcome = "";
                foreach (var tag in tags)
                {
                    outcome = tag.Key == "outcome" ? (string)tag.Value! : outcome;
                }

                lock (_recorded)
                {
                    _recorded.Add((size, outcome));
                }
            });
            _listener.Start();
        }

        public IReadOnlyList<(int, string)> Recorded
        {
            get
            {
                lock (_recorded)
                {
                    return [.. _recorded];
                }
            }
        }

        public void Dispose() => _listener.Dispose();
    }

    private sealed record EventRow(string Type, string? Correlation, string? Causation, string? Actor, string? Command, decimal? Amount, long Transaction);

    /// <summary>The accounts' events as stored, with the id of the transaction that inserted each (<c>xmin</c>).</summary>
    private async Task<IReadOnlyList<EventRow>> EventRowsAsync(IEnumerable<Guid> users)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            select type, correlation_id, causation_id, user_name, headers ->> 'command', (data ->> 'Amount')::numeric,
                   xmin::text::bigint
            from eventstore.mt_events where stream_id = any(@streams) order by seq_id
            """, connection);
        command.Parameters.AddWithValue("streams", users.Select(TradingIds.AccountOf).ToArray());
        var rows = new List<EventRow>();
        await using var reader = await command.ExecuteReaderAsync();
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        while (await reader.ReadAsync())
        {
            rows.Add(new EventRow(reader.GetString(0), Text(1), Text(2), Text(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetDecimal(5), reader.GetInt64(6)));
        }

        return rows;
    }
}
