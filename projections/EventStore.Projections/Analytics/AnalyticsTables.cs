using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace EventStore.Projections.Analytics;

/// <summary>
/// The `analytics` schema: plain tables for BI tools and the read-only role (docs/analytics.md). No personal data:
/// traders and fills appear only as keyed pseudonyms (<see cref="AnalyticsPseudonyms"/>); days are UTC dates of the
/// events' business timestamps. Fact tables (one row per fill / per trader and day) are written idempotently; the daily
/// tables are recomputed from them, so re-processing an event never counts it twice.
/// </summary>
public static class AnalyticsTables
{
    public const string Schema = "analytics";

    public const string Fills = Schema + ".fills";
    public const string RealizedPnl = Schema + ".realized_pnl";
    public const string TraderActivity = Schema + ".trader_activity";
    public const string Registrations = Schema + ".registrations";
    public const string DailyVolume = Schema + ".daily_volume";
    public const string TraderDailyFills = Schema + ".trader_daily_fills";
    public const string RealizedPnlDaily = Schema + ".realized_pnl_daily";
    public const string ActiveUsersDaily = Schema + ".active_users_daily";

    public static IReadOnlyList<string> TradingTables =>
        [Fills, RealizedPnl, TraderActivity, Registrations, DailyVolume, TraderDailyFills, RealizedPnlDaily, ActiveUsersDaily];

    public static IEnumerable<Table> BuildTrading()
    {
        var fills = Table("fills");
        fills.AddColumn<string>("fill_key").AsPrimaryKey();
        fills.AddColumn<string>("trader").NotNull();
        fills.AddColumn<string>("symbol").NotNull();
        fills.AddColumn<string>("side").NotNull();
        fills.AddColumn("day", "date").NotNull();
        fills.AddColumn<DateTimeOffset>("filled_at").NotNull();
        Numeric(fills, "quantity", "price", "notional", "fee");
        fills.Indexes.Add(new IndexDefinition("ix_fills_day_symbol") { Columns = ["day", "symbol"] });
        fills.Indexes.Add(new IndexDefinition("ix_fills_day_trader") { Columns = ["day", "trader"] });
        yield return fills;

        var pnl = Table("realized_pnl");
        pnl.AddColumn<string>("fill_key").AsPrimaryKey();
        Numeric(pnl, "realized_pnl");
        yield return pnl;

        var activity = Table("trader_activity");
        activity.AddColumn("day", "date").AsPrimaryKey();
        activity.AddColumn<string>("trader").AsPrimaryKey();
        yield return activity;

        var registrations = Table("registrations");
        registrations.AddColumn<string>("trader").AsPrimaryKey();
        registrations.AddColumn("day", "date").NotNull();
        yield return registrations;

        var volume = Table("daily_volume");
        volume.AddColumn("day", "date").AsPrimaryKey();
        volume.AddColumn<string>("symbol").AsPrimaryKey();
        volume.AddColumn<int>("fills").NotNull();
        volume.AddColumn<int>("traders").NotNull();
        Numeric(volume, "quantity", "buy_quantity", "sell_quantity", "notional", "fees");
        yield return volume;

        var trader = Table("trader_daily_fills");
        trader.AddColumn("day", "date").AsPrimaryKey();
        trader.AddColumn<string>("trader").AsPrimaryKey();
        trader.AddColumn<int>("fills").NotNull();
        trader.AddColumn<int>("closing_fills").NotNull();
        Numeric(trader, "quantity", "notional", "fees", "realized_pnl");
        yield return trader;

        var distribution = Table("realized_pnl_daily");
        distribution.AddColumn("day", "date").AsPrimaryKey();
        distribution.AddColumn<int>("traders").NotNull();
        distribution.AddColumn<int>("closing_fills").NotNull();
        distribution.AddColumn<int>("winners").NotNull();
        distribution.AddColumn<int>("losers").NotNull();
        Numeric(distribution, "total", "minimum", "p25", "median", "p75", "maximum");
        yield return distribution;

        var active = Table("active_users_daily");
        active.AddColumn("day", "date").AsPrimaryKey();
        active.AddColumn<int>("active_users").NotNull();
        active.AddColumn<int>("new_users").NotNull();
        yield return active;
    }

    private static Table Table(string name) => new(new PostgresqlObjectName(Schema, name, SchemaUtils.IdentifierUsage.General));

    private static void Numeric(Table table, params string[] names)
    {
        foreach (var name in names)
        {
            table.AddColumn(name, "numeric").NotNull();
        }
    }
}
