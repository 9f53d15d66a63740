using EventStore.Api.Database;
using EventStore.Projections.Analytics;
using Npgsql;

namespace EventStore.Api.Analytics;

public sealed record DailyVolume(DateOnly Day, string Symbol, int Fills, int Traders, decimal Quantity, decimal BuyQuantity,
    decimal SellQuantity, decimal Notional, decimal Fees);

public sealed record TraderDailyFills(DateOnly Day, string Trader, int Fills, int ClosingFills, decimal Quantity, decimal Notional,
    decimal Fees, decimal RealizedPnl);

public sealed record RealizedPnlDay(DateOnly Day, int Traders, int ClosingFills, int Winners, int Losers, decimal Total,
    decimal Minimum, decimal P25, decimal Median, decimal P75, decimal Maximum);

public sealed record ActiveUsersDay(DateOnly Day, int ActiveUsers, int NewUsers);

public sealed record ChatActivityDay(DateOnly Day, string RoomKey, int Messages, int Authors, int AssistantReplies, int AssistantMentions,
    int Deleted);

public sealed record AiUsageDay(DateOnly Day, string Model, int Requests, int Failures, int Users, long TokensIn, long TokensOut,
    decimal Cost, decimal LatencyP50Ms, decimal LatencyP95Ms);

/// <summary>The GraphQL `analytics` reads: the same tables analysts query with SQL, by day range (inclusive).</summary>
public sealed class AnalyticsReads(PostgresConnectionSource postgres)
{
    public const int MaxDays = 366;

    public Task<List<DailyVolume>> DailyVolumeAsync(string? symbol, DateOnly from, DateOnly to, CancellationToken ct) =>
        QueryAsync(
            $"""
            select day, symbol, fills, traders, quantity, buy_quantity, sell_quantity, notional, fees from {AnalyticsTables.DailyVolume}
            where day between @from and @to and (@symbol::text is null or symbol = @symbol) order by day, symbol
            """,
            r => new DailyVolume(r.GetFieldValue<DateOnly>(0), r.GetString(1), r.GetInt32(2), r.GetInt32(3), r.GetDecimal(4),
                r.GetDecimal(5), r.GetDecimal(6), r.GetDecimal(7), r.GetDecimal(8)),
            ct, ("from", from), ("to", to), ("symbol", symbol));

    public Task<List<TraderDailyFills>> TraderDailyFillsAsync(string? trader, DateOnly from, DateOnly to, CancellationToken ct) =>
        QueryAsync(
            $"""
            select day, trader, fills, closing_fills, quantity, notional, fees, realized_pnl from {AnalyticsTables.TraderDailyFills}
            where day between @from and @to and (@trader::text is null or trader = @trader) order by day, trader
            """,
            r => new TraderDailyFills(r.GetFieldValue<DateOnly>(0), r.GetString(1), r.GetInt32(2), r.GetInt32(3), r.GetDecimal(4),
                r.GetDecimal(5), r.GetDecimal(6), r.GetDecimal(7)),
            ct, ("from", from), ("to", to), ("trader", trader));

    public Task<List<RealizedPnlDay>> RealizedPnlAsync(DateOnly from, DateOnly to, CancellationToken ct) =>
        QueryAsync(
            $"""
            select day, traders, closing_fills, winners, losers, total, minimum, p25, median, p75, maximum
            from {AnalyticsTables.RealizedPnlDaily} where day between @from and @to order by day
            """,
            r => new RealizedPnlDay(r.GetFieldValue<DateOnly>(0), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3), r.GetInt32(4),
                r.GetDecimal(5), r.GetDecimal(6), r.GetDecimal(7), r.GetDecimal(8), r.GetDecimal(9), r.GetDecimal(10)),
            ct, ("from", from), ("to", to));

    public Task<List<ActiveUsersDay>> ActiveUsersAsync(DateOnly from, DateOnly to, CancellationToken ct) =>
        QueryAsync(
            $"select day, active_users, new_users from {AnalyticsTables.ActiveUsersDaily} where day between @from and @to order by day",
            r => new ActiveUsersDay(r.GetFieldValue<DateOnly>(0), r.GetInt32(1), r.GetInt32(2)),
            ct, ("from", from), ("to", to));

    public Task<List<ChatActivityDay>> ChatActivityAsync(DateOnly from, DateOnly to, CancellationToken ct) =>
        QueryAsync(
            $"""
            select day, room_key, messages, authors, assistant_replies, assistant_mentions, deleted from {AnalyticsTables.ChatMessagesDaily}
            where day between @from and @to order by day, room_key
            """,
            r => new ChatActivityDay(r.GetFieldValue<DateOnly>(0), r.GetString(1), r.GetInt32(2), r.GetInt32(3), r.GetInt32(4),
                r.GetInt32(5), r.GetInt32(6)),
            ct, ("from", from), ("to", to));

    public Task<List<AiUsageDay>> AiUsageAsync(string? model, DateOnly from, DateOnly to, CancellationToken ct) =>
        QueryAsync(
            $"""
            select day, model, requests, failures, users, tokens_in, tokens_out, cost, latency_p50_ms, latency_p95_ms
            from {AnalyticsTables.AiUsageDaily}
            where day between @from and @to and (@model::text is null or model = @model) order by day, model
            """,
            r => new AiUsageDay(r.GetFieldValue<DateOnly>(0), r.GetString(1), r.GetInt32(2), r.GetInt32(3), r.GetInt32(4), r.GetInt64(5),
                r.GetInt64(6), r.GetDecimal(7), r.GetDecimal(8), r.GetDecimal(9)),
            ct, ("from", from), ("to", to), ("model", model));

    private async Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> map, CancellationToken ct,
        params (string Name, object? Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(map(reader));
        }

        return rows;
    }
}
