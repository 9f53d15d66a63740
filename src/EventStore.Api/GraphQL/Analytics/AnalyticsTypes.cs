using EventStore.Api.Analytics;
using GraphQL.Types;

namespace EventStore.Api.GraphQL.Analytics;

public sealed class DailyVolumeType : ObjectGraphType<DailyVolume>
{
    public DailyVolumeType()
    {
        Name = "DailyVolume";
        Field(x => x.Day, type: typeof(NonNullGraphType<DateOnlyGraphType>));
        Field(x => x.Symbol);
        Field(x => x.Fills);
        Field(x => x.Traders).Description("Distinct traders filled in the symbol that day.");
        Field(x => x.Quantity).Description("Shares traded (buys plus sells).");
        Field(x => x.BuyQuantity);
        Field(x => x.SellQuantity);
        Field(x => x.Notional).Description("Sum of quantity × price.");
        Field(x => x.Fees);
    }
}

public sealed class TraderDailyFillsType : ObjectGraphType<TraderDailyFills>
{
    public TraderDailyFillsType()
    {
        Name = "TraderDailyFills";
        Field(x => x.Day, type: typeof(NonNullGraphType<DateOnlyGraphType>));
        Field(x => x.Trader).Description("Keyed pseudonym (HMAC) of the user: stable, not reversible without the key.");
        Field(x => x.Fills);
        Field(x => x.ClosingFills).Description("Sell fills, which realize P&L.");
        Field(x => x.Quantity);
        Field(x => x.Notional);
        Field(x => x.Fees);
        Field(x => x.RealizedPnl);
    }
}

public sealed class RealizedPnlDayType : ObjectGraphType<RealizedPnlDay>
{
    public RealizedPnlDayType()
    {
        Name = "RealizedPnlDay";
        Field(x => x.Day, type: typeof(NonNullGraphType<DateOnlyGraphType>));
        Field(x => x.Traders);
        Field(x => x.ClosingFills);
        Field(x => x.Winners);
        Field(x => x.Losers);
        Field(x => x.Total);
        Field(x => x.Minimum);
        Field(x => x.P25).Description("Lower quartile (a value that occurred: percentile_disc).");
        Field(x => x.Median);
        Field(x => x.P75);
        Field(x => x.Maximum);
    }
}

public sealed class ActiveUsersDayType : ObjectGraphType<ActiveUsersDay>
{
    public ActiveUsersDayType()
    {
        Name = "ActiveUsersDay";
        Field(x => x.Day, type: typeof(NonNullGraphType<DateOnlyGraphType>));
        Field(x => x.ActiveUsers);
        Field(x => x.NewUsers);
    }
}

public sealed class ChatActivityDayType : ObjectGraphType<ChatActivityDay>
{
    public ChatActivityDayType()
    {
        Name = "ChatActivityDay";
        Field(x => x.Day, type: typeof(NonNullGraphType<DateOnlyGraphType>));
        Field(x => x.RoomKey).Description("Keyed pseudonym (HMAC) of the room: stable, not reversible without the key.");
        Field(x => x.Messages).Description("Messages posted that day, the assistant's replies and since-deleted ones included.");
        Field(x => x.Authors).Description("Distinct users who posted (the assistant not counted).");
        Field(x => x.AssistantReplies).Description("The assistant's replies to @assistant.");
        Field(x => x.AssistantMentions).Description("Messages that asked @assistant.");
        Field(x => x.Deleted).Description("Of the day's messages, those deleted since.");
    }
}

public sealed class AiUsageDayType : ObjectGraphType<AiUsageDay>
{
    public AiUsageDayType()
    {
        Name = "AiUsageDay";
        Field(x => x.Day, type: typeof(NonNullGraphType<DateOnlyGraphType>));
        Field(x => x.Model).Description("The model that answered (as the provider named it), or was asked when the request failed.");
        Field(x => x.Requests).Description("Assistant interactions with an outcome: answered or failed, conversations and @assistant alike.");
        Field(x => x.Failures);
        Field(x => x.Users).Description("Distinct users who asked.");
        Field<NonNullGraphType<LongGraphType>>("tokensIn").Resolve(c => c.Source.TokensIn);
        Field<NonNullGraphType<LongGraphType>>("tokensOut").Resolve(c => c.Source.TokensOut);
        Field(x => x.Cost).Description("From the configured price table, per answer.");
        Field(x => x.LatencyP50Ms).Description("Median latency of all requests (percentile_cont, interpolated), in ms.");
        Field(x => x.LatencyP95Ms).Description("95th percentile latency of all requests (percentile_cont), in ms.");
    }
}
