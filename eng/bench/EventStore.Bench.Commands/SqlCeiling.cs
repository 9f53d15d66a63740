using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using EventStore.LocalPostgres;
using Npgsql;

namespace EventStore.Bench.Commands;

/// <summary>
/// The database's share of the target, measured apart from the app: pgbench (PostgreSQL's own C client, one connection
/// per client, prepared statements) runs, at each concurrency, a raw single-row insert (the baseline's statement) and the
/// statements of a deposit exactly as the app sends them for an account it loads (the stream's version; then BEGIN and
/// Marten's <c>mt_quick_append_events</c> with the expected version in one pipeline; then COMMIT; the cash account's
/// snapshot is written by the daemon since issue 18's seventh round, not by the deposit), plus
/// the leanest append that still keeps a stream's version (insert the event, move the version, one transaction), and,
/// where the concurrency is a multiple of 8, the deposit's statements for 8 accounts in one transaction (group commit). The
/// ratio of these is the ceiling of command / raw for this database on this machine, whatever the app costs. Run after
/// the app has stopped (its daemon would otherwise project the deposits during the deposit runs only). Each client
/// appends to accounts of its own, as the closed loop's workers do, so no run has conflicts.
/// </summary>
internal static partial class SqlCeiling
{
    private const string AccountsTable = "public.bench_ceiling_accounts";

    /// <summary>Deposits per transaction in the group-commit run (at concurrency n: n / Group clients).</summary>
    private const int Group = 8;

    // Literal copies of what the app writes for a deposit (a CashDeposited body and its audit metadata).
    // pgbench substitutes :name only for names it knows, so the digits after the colons in the times are left alone.
    private const string EventBody = """{"Amount": 1, "AccountId": "4e70e9d4-4466-56b0-b91e-e73d6b3e04ef", "DepositedAt": "2026-12-05T06:48:55.4474662+00:00"}""";
    private const string DotnetType = "EventStore.Domain.Trading.Accounts.CashDeposited, EventStore.Domain";

    public static async Task<IReadOnlyList<string>> RunAsync(string connectionString, IReadOnlyList<int> levels, TimeSpan duration,
        string work, Action<string> say)
    {
        var pgbench = PostgresBinaries.Find(null) is { } bin && File.Exists(Path.Combine(bin, "pgbench")) ? Path.Combine(bin, "pgbench") : null;
        if (pgbench is null)
        {
            say("SQL ceiling: skipped (pgbench not found beside the PostgreSQL binaries)");
            return [];
        }

        var accounts = await PrepareAccountsAsync(connectionString);
        var scripts = new[] { ("raw insert", "raw.sql"), ("deposit's statements", "deposit.sql"), ("lean append", "lean.sql") };
        var rows = new List<string>();
        File.WriteAllText(Path.Combine(work, "raw.sql"), RawScript());
        foreach (var n in levels.Where(n => n <= accounts))
        {
            var perClient = accounts / n;
            File.WriteAllText(Path.Combine(work, "deposit.sql"), DepositScript(n, perClient));
            File.WriteAllText(Path.Combine(work, "lean.sql"), LeanScript(n, perClient));
            var tps = new Dictionary<string, double>();
            foreach (var (name, file) in scripts)
            {
                say($"SQL ceiling, concurrency {n.ToString(CultureInfo.InvariantCulture)}: {name} (pgbench, {duration.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture)} s)");
                tps[file] = await PgbenchAsync(pgbench, connectionString, Path.Combine(work, file), n, duration);
                say($"  {tps[file].ToString("F0", CultureInfo.InvariantCulture)} transactions/s");
            }

            // n commands in flight committed Group at a time: n / Group clients, Group deposits per transaction.
            var grouped = "-";
            if (n % Group == 0)
            {
                File.WriteAllText(Path.Combine(work, "group.sql"), GroupScript(n / Group, perClient));
                say($"SQL ceiling, concurrency {n.ToString(CultureInfo.InvariantCulture)}: {Group.ToString(CultureInfo.InvariantCulture)} deposits per transaction, {(n / Group).ToString(CultureInfo.InvariantCulture)} clients");
                var deposits = Group * await PgbenchAsync(pgbench, connectionString, Path.Combine(work, "group.sql"), n / Group, duration);
                say($"  {deposits.ToString("F0", CultureInfo.InvariantCulture)} deposits/s");
                grouped = string.Create(CultureInfo.InvariantCulture, $"{deposits:F0} ({deposits / tps["raw.sql"]:F2})");
            }

            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {n} | {tps["raw.sql"]:F0} | {tps["deposit.sql"]:F0} | **{tps["deposit.sql"] / tps["raw.sql"]:F2}** | {tps["lean.sql"]:F0} | {tps["lean.sql"] / tps["raw.sql"]:F2} | {grouped} |"));
        }

        return rows;
    }

    /// <summary>Numbers the cash accounts the run opened (0..count-1), so a pgbench client can pick its own.</summary>
    private static async Task<int> PrepareAccountsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand(
            $"drop table if exists {AccountsTable}; " +
            $"create table {AccountsTable} as select (row_number() over (order by s.id) - 1)::int as n, s.id from eventstore.mt_streams s " +
            "join eventstore.mt_doc_cashaccount c on c.id = s.id; " +
            $"create unique index on {AccountsTable} (n); select count(*) from {AccountsTable}", connection);
        return Convert.ToInt32(await create.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static string RawScript() =>
        "insert into public.bench_raw_deposits (id, user_id, amount) values (gen_random_uuid(), gen_random_uuid(), 1);\n";

    // Client c of n takes the accounts c, c + n, c + 2n, ... (no two clients on one stream).
    private static string PickAccount(int n, int perClient) => string.Create(CultureInfo.InvariantCulture,
        $"\\set u :client_id + {n} * random(0, {perClient - 1})\n" +
        $"select a.id as acct, s.version as v from {AccountsTable} a join eventstore.mt_streams s on s.id = a.id where a.n = :u \\gset\n");

    /// <summary>The statements of a deposit, three round trips (the group committer skips the first for an account it remembers).</summary>
    private static string DepositScript(int n, int perClient) => PickAccount(n, perClient) +
        "\\startpipeline\n" +
        "begin;\n" +
        Append(":acct::uuid", ":v") +
        "\\endpipeline\n" +
        "commit;\n";

    /// <summary>
    /// The deposit's statements for <see cref="Group"/> accounts in one transaction (what several commands committed
    /// together would send): one batch of versions, one pipeline of appends, one COMMIT.
    /// </summary>
    private static string GroupScript(int clients, int perClient)
    {
        var script = new System.Text.StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"\\set b {Group} * (:client_id + {clients} * random(0, {perClient - 1}))\n" +
            $"select array_agg(a.id order by a.n) as ids, array_agg(s.version order by a.n) as vs from {AccountsTable} a " +
            $"join eventstore.mt_streams s on s.id = a.id where a.n between :b and :b + {Group - 1} \\gset\n\\startpipeline\nbegin;\n"));
        for (var i = 1; i <= Group; i++)
        {
            var account = string.Create(CultureInfo.InvariantCulture, $"(:ids::uuid[])[{i}]");
            var version = string.Create(CultureInfo.InvariantCulture, $"(:vs::bigint[])[{i}]");
            script.Append(Append(account, version));
        }

        return script.Append("\\endpipeline\ncommit;\n").ToString();
    }

    /// <summary>Marten's append of one CashDeposited to <paramref name="account"/>, expecting <paramref name="version"/>.</summary>
    private static string Append(string account, string version) =>
        $"select eventstore.mt_quick_append_events({account}, 'cash_account', '*DEFAULT*', ARRAY[gen_random_uuid()], " +
        $"ARRAY['cash_deposited']::varchar[], ARRAY['{DotnetType}']::varchar[], ARRAY['{EventBody}'::jsonb], ARRAY[null::bytea], " +
        "ARRAY['08df529b-d4db-aa54-c68b-a66c01290000']::varchar[], ARRAY['0HNQIJEPK1CDC-0000615B']::varchar[], " +
        $"ARRAY['{{\"command\": \"Deposit\"}}'::jsonb], ARRAY['user-01a244f5-b54d-7dc9-b87e-9a90c7335737']::varchar[], ARRAY[now()], {version});\n";

    /// <summary>The least an append with a stream version can do: one event row, the version moved on, one transaction.</summary>
    private static string LeanScript(int n, int perClient) => PickAccount(n, perClient) +
        "\\startpipeline\n" +
        "begin;\n" +
        "insert into eventstore.mt_events (seq_id, id, stream_id, version, data, type, tenant_id, timestamp, mt_dotnet_type, is_archived) " +
        $"values (nextval('eventstore.mt_events_sequence'), gen_random_uuid(), :acct::uuid, :v + 1, '{EventBody}'::jsonb, 'cash_deposited', " +
        $"'*DEFAULT*', now(), '{DotnetType}', false);\n" +
        "update eventstore.mt_streams set version = :v + 1, timestamp = now() where id = :acct::uuid and version = :v;\n" +
        "\\endpipeline\n" +
        "commit;\n";

    private static async Task<double> PgbenchAsync(string pgbench, string connectionString, string script, int clients, TimeSpan duration)
    {
        var c = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(pgbench)
        {
            ArgumentList =
            {
                "-n", "-M", "prepared", "-f", script, "-c", clients.ToString(CultureInfo.InvariantCulture),
                "-j", Math.Min(clients, 2).ToString(CultureInfo.InvariantCulture),
                "-T", ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["PGHOST"] = c.Host, ["PGPORT"] = c.Port.ToString(CultureInfo.InvariantCulture), ["PGUSER"] = c.Username,
                ["PGPASSWORD"] = c.Password, ["PGDATABASE"] = c.Database,
            },
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("pgbench did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var text = await output + await errors;
        var tps = Tps().Match(text);
        if (process.ExitCode != 0 || !tps.Success || text.Contains("aborted", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"pgbench failed ({process.ExitCode}):\n{text}");
        }

        return double.Parse(tps.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"tps = ([0-9.]+)")]
    private static partial Regex Tps();
}
