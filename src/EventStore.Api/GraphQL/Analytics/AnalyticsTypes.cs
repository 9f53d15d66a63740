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
