using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace EventStore.Projections.Analytics;

/// <summary>
/// The `analytics` schema: plain tables for BI tools and the read-only role (docs/analytics.md). No personal data:
/// traders and fills appear only as keyed pseudonyms (<see cref="AnalyticsPseudonyms"/>); days are UTC dates of the
/// events' business timestamps. Fact tables (one row per fill, message, AI request, or trader and day) are written
/// idempotently; the daily tables are recomputed from them, so re-processing an event never counts it twice.
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

    public const string ChatMessages = Schema + ".chat_messages";
    public const string ChatMessageDeletions = Schema + ".chat_message_deletions";
    public const string ChatMessagesDaily = Schema + ".chat_messages_daily";
    public const string CommunityPosts = Schema + ".community_posts";
    public const string CommunityComments = Schema + ".community_comments";
    public const string CommunityLikes = Schema + ".community_likes";
    public const string CommunityDaily = Schema + ".community_daily";
    public const string AiRequests = Schema + ".ai_requests";
    public const string AiUsageDaily = Schema + ".ai_usage_daily";

    public static IReadOnlyList<string> TradingTables =>
        [Fills, RealizedPnl, TraderActivity, Registrations, DailyVolume, TraderDailyFills, RealizedPnlDaily, ActiveUsersDaily];

    public static IReadOnlyList<string> ChatTables => [ChatMessages, ChatMessageDeletions, ChatMessagesDaily];

    public static IReadOnlyList<string> AiTables => [AiRequests, AiUsageDaily];

    /// <summary>Every table of the schema, for tests and tools that treat them alike.</summary>
    public static IReadOnlyList<string> CommunityTables => [CommunityPosts, CommunityComments, CommunityLikes, CommunityDaily];

    public static IReadOnlyList<string> AllTables => [.. TradingTables, .. ChatTables, .. AiTables, .. CommunityTables];

    public static IEnumerable<Table> BuildAll() => [.. BuildTrading(), .. BuildChat(), .. BuildAi(), .. BuildCommunity()];

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

    /// <summary>
    /// Messages per room and day. No text, no room name: rooms and messages are keyed pseudonyms, authors are trader
    /// pseudonyms or <see cref="AnalyticsPseudonyms.AssistantAuthor"/>.
    /// </summary>
    public static IEnumerable<Table> BuildChat()
    {
        var messages = Table("chat_messages");
        messages.AddColumn<string>("message_key").AsPrimaryKey();
        messages.AddColumn<string>("room_key").NotNull();
        messages.AddColumn("day", "date").NotNull();
        messages.AddColumn<string>("author").NotNull();
        messages.AddColumn<bool>("mentions_assistant").NotNull();
        messages.Indexes.Add(new IndexDefinition("ix_chat_messages_day_room") { Columns = ["day", "room_key"] });
        yield return messages;

        var deletions = Table("chat_message_deletions");
        deletions.AddColumn<string>("message_key").AsPrimaryKey();
        deletions.AddColumn("day", "date").NotNull();
        yield return deletions;

        var daily = Table("chat_messages_daily");
        daily.AddColumn("day", "date").AsPrimaryKey();
        daily.AddColumn<string>("room_key").AsPrimaryKey();
        daily.AddColumn<int>("messages").NotNull();
        daily.AddColumn<int>("authors").NotNull();
        daily.AddColumn<int>("assistant_replies").NotNull();
        daily.AddColumn<int>("assistant_mentions").NotNull();
        daily.AddColumn<int>("deleted").NotNull();
        yield return daily;
    }

    /// <summary>
    /// Community posts, comments and likes, one fact each, and per day and symbol (empty string: no symbol) their counts.
    /// No text: posts, comments and likes are keyed pseudonyms, authors trader pseudonyms.
    /// </summary>
    public static IEnumerable<Table> BuildCommunity()
    {
        var posts = Table("community_posts");
        posts.AddColumn<string>("post_key").AsPrimaryKey();
        posts.AddColumn("day", "date").NotNull();
        posts.AddColumn<string>("symbol").NotNull();
        posts.AddColumn<string>("author").NotNull();
        posts.AddColumn<string>("direction");
        posts.AddColumn<string>("horizon");
        yield return posts;

        var comments = Table("community_comments");
        comments.AddColumn<string>("comment_key").AsPrimaryKey();
        comments.AddColumn<string>("post_key").NotNull();
        comments.AddColumn("day", "date").NotNull();
        comments.AddColumn<string>("symbol").NotNull();
        comments.AddColumn<string>("author").NotNull();
        yield return comments;

        var likes = Table("community_likes");
        likes.AddColumn<string>("like_key").AsPrimaryKey();
        likes.AddColumn<string>("post_key").NotNull();
        likes.AddColumn("day", "date").NotNull();
        likes.AddColumn<string>("symbol").NotNull();
        likes.AddColumn<string>("liker").NotNull();
        likes.AddColumn<int>("delta").NotNull();
        yield return likes;

        var daily = Table("community_daily");
        daily.AddColumn("day", "date").AsPrimaryKey();
        daily.AddColumn<string>("symbol").AsPrimaryKey();
        daily.AddColumn<int>("posts").NotNull();
        daily.AddColumn<int>("comments").NotNull();
        daily.AddColumn<int>("likes").NotNull();
        daily.AddColumn<int>("unlikes").NotNull();
        daily.AddColumn<int>("authors").NotNull();
        yield return daily;
    }

    /// <summary>AI requests (assistant interactions with an outcome) per model and day. No prompt, no answer.</summary>
    public static IEnumerable<Table> BuildAi()
    {
        var requests = Table("ai_requests");
        requests.AddColumn<string>("request_key").AsPrimaryKey();
        requests.AddColumn("day", "date").NotNull();
        requests.AddColumn<string>("trader").NotNull();
        requests.AddColumn<string>("channel").NotNull();
        requests.AddColumn<string>("provider").NotNull();
        requests.AddColumn<string>("model").NotNull();
        requests.AddColumn<int>("tokens_in").NotNull();
        requests.AddColumn<int>("tokens_out").NotNull();
        Numeric(requests, "cost");
        requests.AddColumn<long>("latency_ms").NotNull();
        requests.AddColumn<string>("finish_reason");
        requests.AddColumn<bool>("failed").NotNull();
        requests.AddColumn<string>("error_class");
        requests.Indexes.Add(new IndexDefinition("ix_ai_requests_day_model") { Columns = ["day", "model"] });
        yield return requests;

        var daily = Table("ai_usage_daily");
        daily.AddColumn("day", "date").AsPrimaryKey();
        daily.AddColumn<string>("model").AsPrimaryKey();
        daily.AddColumn<int>("requests").NotNull();
        daily.AddColumn<int>("failures").NotNull();
        daily.AddColumn<int>("users").NotNull();
        daily.AddColumn<long>("tokens_in").NotNull();
        daily.AddColumn<long>("tokens_out").NotNull();
        Numeric(daily, "cost", "latency_p50_ms", "latency_p95_ms");
        yield return daily;
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
