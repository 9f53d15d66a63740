using EventStore.Projections.Trading;
using GraphQL.Types;

namespace EventStore.Api.GraphQL.Trading;

public sealed class PortfolioType : ObjectGraphType<Portfolio>
{
    public PortfolioType()
    {
        Name = "Portfolio";
        Field(x => x.Cash).Description("Cash balance.");
        Field(x => x.ReservedCash).Description("Cash set aside for open buy orders.");
        Field(x => x.AvailableCash).Description("Cash minus reservations: what can be withdrawn or used.");
        Field(x => x.RealizedPnl);
        Field(x => x.UnrealizedPnl).Description("At the latest bid; positions without a quote count at cost.");
        Field(x => x.MarketValue);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PortfolioPositionType>>>>("positions").Resolve(c => c.Source.Positions);
    }
}

public sealed class PortfolioPositionType : ObjectGraphType<PortfolioPosition>
{
    public PortfolioPositionType()
    {
        Name = "Position";
        Field(x => x.Symbol);
        Field(x => x.Quantity);
        Field(x => x.AverageCost);
        Field(x => x.MarketPrice, nullable: true);
        Field(x => x.MarketValue, nullable: true);
        Field(x => x.UnrealizedPnl, nullable: true);
        Field(x => x.RealizedPnl);
    }
}
