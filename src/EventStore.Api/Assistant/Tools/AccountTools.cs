using System.Globalization;
using System.Text.RegularExpressions;
using EventStore.Projections.Trading;
using EventStore.Domain.Trading.Orders;
using Marten;

namespace EventStore.Api.Assistant.Tools;

/// <summary>The asker's cash and positions, marked with the latest quotes: only the asker may hear it.</summary>
public sealed partial class PortfolioTool : IAssistantTool
{
    public string Name => "portfolio";

    public ToolData Data => ToolData.AskersOwn;

    public bool TouchesTrading => true;

    public Task<IReadOnlyList<string>> SelectAsync(IQuerySession session, AssistantQuestion question, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<string>>(Words().IsMatch(question.Prompt) ? ["{}"] : []);

    public async Task<string> RunAsync(IQuerySession session, AssistantQuestion question, string arguments, CancellationToken ct)
    {
        var p = await TradingQueries.PortfolioAsync(session, question.AskerId, ct);
        var text = string.Create(CultureInfo.InvariantCulture,
            $"Your portfolio: cash {p.Cash}, available {p.AvailableCash}, reserved {p.ReservedCash}; market value {p.MarketValue}; realized P&L {p.RealizedPnl}, unrealized P&L {p.UnrealizedPnl}.");
        return p.Positions.Count == 0
            ? text + " No positions."
            : text + " Positions: " + string.Join("; ", p.Positions.Select(x => string.Create(CultureInfo.InvariantCulture,
                $"{x.Symbol} {x.Quantity} @ average {x.AverageCost:0.####}{(x.MarketPrice is { } m ? $", mark {m}, unrealized {x.UnrealizedPnl}" : "")}"))) + ".";
    }

    [GeneratedRegex(@"\b(portfolio|p&l|pnl|p/l|profit|loss|positions?|holdings?|cash|balance)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Words();
}

/// <summary>The asker's last five fills: only the asker may hear them.</summary>
public sealed partial class RecentFillsTool : IAssistantTool
{
    public string Name => "recent_fills";

    public ToolData Data => ToolData.AskersOwn;

    public bool TouchesTrading => true;

    public Task<IReadOnlyList<string>> SelectAsync(IQuerySession session, AssistantQuestion question, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<string>>(Words().IsMatch(question.Prompt) ? ["""{"first":5}"""] : []);

    public async Task<string> RunAsync(IQuerySession session, AssistantQuestion question, string arguments, CancellationToken ct)
    {
        var (fills, _) = await TradingQueries.FillsAsync(session, question.AskerId, null, 5, null, ct);
        return fills.Count == 0
            ? "You have no fills yet."
            : "Your latest fills: " + string.Join("; ", fills.Select(f => string.Create(CultureInfo.InvariantCulture,
                $"{f.Side} {f.Quantity} {f.Symbol} @ {f.Price} (fee {f.Fee}) at {f.FilledAt:u}"))) + ".";
    }

    [GeneratedRegex(@"\b(fills?|trades?|executions?|bought|sold)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Words();
}

/// <summary>The asker's working orders (the inline <see cref="OpenOrder"/> documents): only the asker may hear them.</summary>
public sealed partial class OpenOrdersTool : IAssistantTool
{
    private const int Max = 10;

    public string Name => "open_orders";

    public ToolData Data => ToolData.AskersOwn;

    public bool TouchesTrading => true;

    public Task<IReadOnlyList<string>> SelectAsync(IQuerySession session, AssistantQuestion question, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<string>>(Words().IsMatch(question.Prompt) ? [$$"""{"first":{{Max}}}"""] : []);

    public async Task<string> RunAsync(IQuerySession session, AssistantQuestion question, string arguments, CancellationToken ct)
    {
        var orders = await session.Query<OpenOrder>().Where(x => x.UserId == question.AskerId)
            .OrderBy(x => x.Symbol).ThenBy(x => x.Id).Take(Max).ToListAsync(ct);
        return orders.Count == 0
            ? "You have no open orders."
            : "Your open orders: " + string.Join("; ", orders.Select(o => string.Create(CultureInfo.InvariantCulture,
                $"{o.Side} {o.Quantity} {o.Symbol} {(o.LimitPrice is { } limit ? $"limit {limit}" : "market")}, filled {o.Filled}"))) + ".";
    }

    [GeneratedRegex(@"\borders?\b", RegexOptions.IgnoreCase)]
    private static partial Regex Words();
}
