using EventStore.Api.Analytics;
using EventStore.Api.GraphQL.Errors;
using EventStore.Api.GraphQL.Hygiene;
using EventStore.Domain.Trading.Instruments;
using EventStore.Domain.Users;
using EventStore.Domain.Validation;
using GraphQL;
using GraphQL.Types;

namespace EventStore.Api.GraphQL.Analytics;

public static class AnalyticsQueryFields
{
    public static void AddAnalyticsQueries(this ObjectGraphType query)
    {
        query.Field<NonNullGraphType<AnalyticsType>>("analytics")
            .Description("Analysts and admins: trading, activity, chat and AI usage figures per UTC day, from the `analytics` SQL "
                + "tables. Traders, rooms and messages appear only as pseudonyms.")
            .AuthorizeWithRoles(Roles.Analyst, Roles.Admin)
            .Resolve(_ => new AnalyticsRoot());
    }
}

/// <summary>The `analytics` field's value: its sub-fields read the tables.</summary>
public sealed record AnalyticsRoot;

public sealed class AnalyticsType : ObjectGraphType<AnalyticsRoot>
{
    /// <summary>Pseudonyms are 32 hex digits (AnalyticsPseudonyms).</summary>
    public const int MaxPseudonymLength = 64;

    public AnalyticsType()
    {
        Name = "Analytics";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<DailyVolumeType>>>>("dailyVolume")
            .Description("Volume and notional per symbol and day.")
            .Argument<StringGraphType>("symbol", "Only this symbol.", a => a.SingleLine(InstrumentRules.SymbolMaxLength))
            .Argument<NonNullGraphType<DateOnlyGraphType>>("from")
            .Argument<NonNullGraphType<DateOnlyGraphType>>("to", "Inclusive; at most 366 days after from.")
            .ResolveAsync(async c =>
            {
                var (from, to) = Range(c);
                return await Reads(c).DailyVolumeAsync(c.GetArgument<string?>("symbol"), from, to, c.CancellationToken);
            });
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TraderDailyFillsType>>>>("traderDailyFills")
            .Description("Fills, notional, fees and realized P&L per pseudonymous trader and day.")
            .Argument<StringGraphType>("trader", "Only this pseudonym.", a => a.SingleLine(MaxPseudonymLength))
            .Argument<NonNullGraphType<DateOnlyGraphType>>("from")
            .Argument<NonNullGraphType<DateOnlyGraphType>>("to")
            .ResolveAsync(async c =>
            {
                var (from, to) = Range(c);
                return await Reads(c).TraderDailyFillsAsync(c.GetArgument<string?>("trader"), from, to, c.CancellationToken);
            });
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<RealizedPnlDayType>>>>("realizedPnl")
            .Description("Per day, the distribution over traders of their realized P&L (traders who closed a position that day).")
            .Argument<NonNullGraphType<DateOnlyGraphType>>("from")
            .Argument<NonNullGraphType<DateOnlyGraphType>>("to")
            .ResolveAsync(async c =>
            {
                var (from, to) = Range(c);
                return await Reads(c).RealizedPnlAsync(from, to, c.CancellationToken);
            });
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ActiveUsersDayType>>>>("activeUsers")
            .Description("Users who registered, placed an order or were filled, per day; and new registrations.")
            .Argument<NonNullGraphType<DateOnlyGraphType>>("from")
            .Argument<NonNullGraphType<DateOnlyGraphType>>("to")
            .ResolveAsync(async c =>
            {
                var (from, to) = Range(c);
                return await Reads(c).ActiveUsersAsync(from, to, c.CancellationToken);
            });
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ChatActivityDayType>>>>("chatActivity")
            .Description("Chat messages per pseudonymous room and day (no text, no room names).")
            .Argument<NonNullGraphType<DateOnlyGraphType>>("from")
            .Argument<NonNullGraphType<DateOnlyGraphType>>("to")
            .ResolveAsync(async c =>
            {
                var (from, to) = Range(c);
                return await Reads(c).ChatActivityAsync(from, to, c.CancellationToken);
            });
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AiUsageDayType>>>>("aiUsage")
            .Description("AI assistant requests per model and day: failures, tokens, cost and latency percentiles.")
            .Argument<StringGraphType>("model", "Only this model.", a => a.SingleLine(TextRule.DefaultMaxLength))
            .Argument<NonNullGraphType<DateOnlyGraphType>>("from")
            .Argument<NonNullGraphType<DateOnlyGraphType>>("to")
            .ResolveAsync(async c =>
            {
                var (from, to) = Range(c);
                return await Reads(c).AiUsageAsync(c.GetArgument<string?>("model"), from, to, c.CancellationToken);
            });
    }

    private static AnalyticsReads Reads(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<AnalyticsReads>();

    private static (DateOnly From, DateOnly To) Range(IResolveFieldContext c)
    {
        var from = c.GetArgument<DateOnly>("from");
        var to = c.GetArgument<DateOnly>("to");
        return to < from || to.DayNumber - from.DayNumber >= AnalyticsReads.MaxDays
            ? throw new ApiError(ErrorCodes.Validation, $"'to' must be on or after 'from', at most {AnalyticsReads.MaxDays} days in all.",
                new Dictionary<string, object?> { ["field"] = "to" })
            : (from, to);
    }
}

/// <summary>Picked up by convention (<see cref="RootFields"/>).</summary>
public sealed class AnalyticsQueryRoot : IQueryFields
{
    public int Order => 110;

    public void AddTo(ObjectGraphType root) => root.AddAnalyticsQueries();
}
