using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventStore.Domain.Privacy;
using EventStore.Domain.Trading;
using Npgsql;

namespace EventStore.Bench.Soak;

/// <summary>
/// The checks, in SQL against the store (mt_events, mt_streams, the read models) once the load and faults are over:
/// every acknowledged command's event present exactly once, nothing duplicated, versions contiguous, projections caught up.
/// Client order ids are sealed in the events (docs/compliance.md): they are opened with the app's key-encryption key and
/// the users' keys, as stored.
/// </summary>
internal sealed class StoreVerifier(string connectionString, byte[] keyEncryptionKey)
{
    private const string Schema = "eventstore";

    public List<string> Violations { get; } = [];

    public List<string> Facts { get; } = [];

    public async Task VerifyAsync(IReadOnlyList<SoakClient> clients)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await VerifyDepositsAsync(connection, clients);
        await VerifyOrdersAsync(connection, clients);
        await VerifyStreamsAsync(connection);
        await VerifyProjectionsAsync(connection, clients);
    }

    private async Task VerifyDepositsAsync(NpgsqlConnection connection, IReadOnlyList<SoakClient> clients)
    {
        var byAccount = clients.ToDictionary(c => TradingIds.AccountOf(c.UserId));
        var stored = clients.ToDictionary(c => c.Index, _ => new Dictionary<decimal, int>());
        await using (var command = new NpgsqlCommand(
            $"select stream_id, data from {Schema}.mt_events where type = 'cash_deposited' and stream_id = any(@ids)", connection))
        {
            command.Parameters.AddWithValue("ids", byAccount.Keys.ToArray());
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var amount = Property(JsonNode.Parse(reader.GetString(1))!, "amount")!.GetValue<decimal>();
                var counts = stored[byAccount[reader.GetGuid(0)].Index];
                counts[amount] = counts.GetValueOrDefault(amount) + 1;
            }
        }

        int acknowledged = 0, unacknowledgedStored = 0, unacknowledged = 0;
        foreach (var client in clients)
        {
            var counts = stored[client.Index];
            var sent = client.Deposits.ToDictionary(d => d.Amount);
            foreach (var deposit in client.Deposits)
            {
                var count = counts.GetValueOrDefault(deposit.Amount);
                if (deposit.Outcome == Outcome.Acknowledged)
                {
                    acknowledged++;
                    if (count != 1)
                    {
                        Violations.Add($"client {client.Index}: acknowledged deposit {deposit.Amount} stored {count} times");
                    }
                }
                else
                {
                    unacknowledged++;
                    unacknowledgedStored += count == 1 ? 1 : 0;
                    if (count > 1)
                    {
                        Violations.Add($"client {client.Index}: unacknowledged deposit {deposit.Amount} stored {count} times");
                    }
                }
            }

            foreach (var amount in counts.Keys.Where(a => !sent.ContainsKey(a)))
            {
                Violations.Add($"client {client.Index}: a deposit of {amount} is stored but was never sent");
            }
        }

        var keyless = clients.Sum(c => c.Deposits.Count(d => !d.Keyed && d.Outcome == Outcome.Acknowledged));
        Facts.Add($"deposits: {acknowledged} acknowledged ({acknowledged - keyless} under an idempotency key, {keyless} without one: " +
            $"group-committed), all checked stored exactly once; {unacknowledged} not acknowledged, " +
            $"of which {unacknowledgedStored} took effect (stored once) and {unacknowledged - unacknowledgedStored} did not");
    }

    private async Task VerifyOrdersAsync(NpgsqlConnection connection, IReadOnlyList<SoakClient> clients)
    {
        var byUser = clients.ToDictionary(c => c.UserId);
        var personal = await OpenerAsync(connection, byUser.Keys);
        var stored = new Dictionary<(int Client, string ClientOrderId), int>();
        await using (var command = new NpgsqlCommand($"select data from {Schema}.mt_events where type = 'order_placed'", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var data = JsonNode.Parse(reader.GetString(0))!;
                var userId = Guid.Parse(Property(data, "userId")!.GetValue<string>());
                if (byUser.TryGetValue(userId, out var client))
                {
                    var sealedId = Property(data, "clientOrderId").Deserialize<SealedText>();
                    var key = (client.Index, personal.Open(sealedId, userId) ?? "(cannot be opened)");
                    stored[key] = stored.GetValueOrDefault(key) + 1;
                }
            }
        }

        var claims = await ScalarAsync(connection, $"select count(*) from {Schema}.mt_doc_clientorderidclaim");
        int acknowledged = 0, byDuplicate = 0, unacknowledged = 0, unacknowledgedStored = 0, retried = 0;
        foreach (var client in clients)
        {
            foreach (var order in client.Orders)
            {
                var count = stored.GetValueOrDefault((client.Index, order.ClientOrderId));
                retried += order.Attempts > 1 ? 1 : 0;
                switch (order.Outcome)
                {
                    case Outcome.Acknowledged or Outcome.AcknowledgedByDuplicateAnswer:
                        acknowledged += order.Outcome == Outcome.Acknowledged ? 1 : 0;
                        byDuplicate += order.Outcome == Outcome.AcknowledgedByDuplicateAnswer ? 1 : 0;
                        if (count != 1)
                        {
                            Violations.Add($"client {client.Index}: acknowledged order {order.ClientOrderId} ({order.Outcome}) has {count} OrderPlaced events");
                        }

                        break;
                    case Outcome.DuplicateOnFirstAttempt:
                        Violations.Add($"client {client.Index}: order {order.ClientOrderId} was answered 'already used' on its first attempt");
                        break;
                    case Outcome.Rejected:
                        Violations.Add($"client {client.Index}: order {order.ClientOrderId} was rejected (unexpected for this load)");
                        break;
                    default:
                        unacknowledged++;
                        unacknowledgedStored += count == 1 ? 1 : 0;
                        if (count > 1)
                        {
                            Violations.Add($"client {client.Index}: unacknowledged order {order.ClientOrderId} has {count} OrderPlaced events");
                        }

                        break;
                }
            }

            var sent = client.Orders.Select(o => o.ClientOrderId).ToHashSet();
            foreach (var ((index, id), _) in stored.Where(s => s.Key.Client == client.Index && !sent.Contains(s.Key.ClientOrderId)))
            {
                Violations.Add($"client {index}: order {id} is stored but was never sent");
            }
        }

        if (claims != stored.Values.Sum())
        {
            Violations.Add($"{claims} client order id claims for {stored.Values.Sum()} OrderPlaced events");
        }

        Facts.Add($"orders: {acknowledged} acknowledged at once or after retries, {byDuplicate} acknowledged by an 'already used' answer to a retry " +
            $"(an earlier unanswered attempt had taken effect); {retried} needed retries; {unacknowledged} never answered, of which " +
            $"{unacknowledgedStored} stored once; {stored.Count} distinct client order ids stored, none twice; {claims} claims");
    }

    private async Task VerifyStreamsAsync(NpgsqlConnection connection)
    {
        // Versions 1..n with no gap or repeat in every stream (the unique (stream_id, version) index forbids repeats; a
        // gap would mean a lost event), and mt_streams.version agreeing with the last event. Marten's tombstones are left
        // out: when a transaction fails after reserving sequence numbers, Marten fills them with `tombstone` events in a
        // stream of their own, whose version is the sequence number (placeholders for the daemon, not domain events).
        const string real = "type <> 'tombstone'";
        var gaps = await ScalarAsync(connection,
            $"select count(*) from (select stream_id from {Schema}.mt_events where {real} group by stream_id " +
            "having min(version) <> 1 or max(version) <> count(*) or count(distinct version) <> count(*)) s");
        var heads = await ScalarAsync(connection,
            $"select count(*) from {Schema}.mt_streams s left join (select stream_id, max(version) v from {Schema}.mt_events where {real} group by stream_id) e " +
            $"on e.stream_id = s.id where coalesce(e.v, 0) <> s.version and not exists (select 1 from {Schema}.mt_events t where t.stream_id = s.id and t.type = 'tombstone')");
        var orphans = await ScalarAsync(connection,
            $"select count(*) from (select distinct stream_id from {Schema}.mt_events) e left join {Schema}.mt_streams s on s.id = e.stream_id where s.id is null");
        var mixed = await ScalarAsync(connection,
            $"select count(distinct stream_id) from {Schema}.mt_events t where t.type = 'tombstone' and exists " +
            $"(select 1 from {Schema}.mt_events e where e.stream_id = t.stream_id and e.{real})");
        var tombstones = await ScalarAsync(connection, $"select count(*) from {Schema}.mt_events where type = 'tombstone'");
        var events = await ScalarAsync(connection, $"select count(*) from {Schema}.mt_events where {real}");
        var streams = await ScalarAsync(connection, $"select count(distinct stream_id) from {Schema}.mt_events where {real}");
        var duplicateIds = await ScalarAsync(connection, $"select count(*) - count(distinct id) from {Schema}.mt_events");
        if (mixed > 0)
        {
            Violations.Add($"{mixed} streams hold both tombstones and domain events");
        }

        if (gaps > 0)
        {
            Violations.Add($"{gaps} streams whose versions are not exactly 1..n");
        }

        if (heads > 0)
        {
            Violations.Add($"{heads} streams whose mt_streams.version differs from their last event's version");
        }

        if (orphans > 0)
        {
            Violations.Add($"{orphans} event streams without a row in mt_streams");
        }

        if (duplicateIds > 0)
        {
            Violations.Add($"{duplicateIds} events share an event id");
        }

        Facts.Add($"store: {events} events in {streams} streams; versions contiguous from 1 in every stream, mt_streams heads agree, event ids unique; " +
            $"{tombstones} Marten tombstones (sequence numbers reserved by transactions that failed during the faults)");
    }

    /// <summary>The async daemon survived the faults: each account's read model balance equals the sum of its stored deposits.</summary>
    private async Task VerifyProjectionsAsync(NpgsqlConnection connection, IReadOnlyList<SoakClient> clients)
    {
        var clock = Stopwatch.StartNew();
        List<string> differences;
        do
        {
            differences = [];
            foreach (var client in clients)
            {
                var account = TradingIds.AccountOf(client.UserId);
                var deposited = await DecimalAsync(connection,
                    $"select coalesce(sum(coalesce(data->>'amount', data->>'Amount')::numeric), 0) from {Schema}.mt_events where stream_id = @id and type = 'cash_deposited'", account);
                var projected = await DecimalAsync(connection,
                    $"select coalesce(coalesce(data->>'balance', data->>'Balance')::numeric, -1) from {Schema}.mt_doc_cashaccountview where id = @id", account);
                if (deposited != projected)
                {
                    differences.Add($"client {client.Index}: CashAccountView balance {projected}, stored deposits {deposited}");
                }
            }

            if (differences.Count > 0)
            {
                await Task.Delay(1_000);
            }
        }
        while (differences.Count > 0 && clock.Elapsed < TimeSpan.FromMinutes(2));

        Violations.AddRange(differences.Select(d => "projection not caught up after 2 min: " + d));
        if (differences.Count == 0)
        {
            Facts.Add($"projections: every CashAccountView balance equals the sum of the account's stored deposits (caught up {clock.Elapsed.TotalSeconds:F1} s after the load)");
        }
    }

    /// <summary>The soak users' keys as stored (mt_doc_personaldatakey), unwrapped with the app's key-encryption key.</summary>
    private async Task<PersonalDataOpener> OpenerAsync(NpgsqlConnection connection, IEnumerable<Guid> users)
    {
        var keys = new List<PersonalDataKey>();
        await using var command = new NpgsqlCommand($"select data from {Schema}.mt_doc_personaldatakey where id = any(@ids)", connection);
        command.Parameters.AddWithValue("ids", users.ToArray());
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            keys.Add(JsonSerializer.Deserialize<PersonalDataKey>(reader.GetString(0), CaseInsensitive)!);
        }

        return new PersonalDataProtector(keyEncryptionKey).OpenerFor(keys);
    }

    private static readonly JsonSerializerOptions CaseInsensitive = new() { PropertyNameCaseInsensitive = true };

    private static JsonNode? Property(JsonNode data, string camelCase) =>
        data[camelCase] ?? data[char.ToUpperInvariant(camelCase[0]) + camelCase[1..]];

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<decimal> DecimalAsync(NpgsqlConnection connection, string sql, Guid id)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteScalarAsync() is decimal value ? value : -1;
    }
}
