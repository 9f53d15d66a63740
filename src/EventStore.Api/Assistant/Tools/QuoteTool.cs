using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EventStore.Domain.Trading.Orders;
using EventStore.Projections.Trading;
using Marten;

namespace EventStore.Api.Assistant.Tools;

/// <summary>The latest quote of up to three listed symbols named in the prompt: market data, anyone may hear it.</summary>
public sealed partial class QuoteTool : IAssistantTool
{
    private const int MaxSymbols = 3;

    public string Name => "quote";

    public ToolData Data => ToolData.Public;

    public bool TouchesTrading => true;

    public async Task<IReadOnlyList<string>> SelectAsync(IQuerySession session, AssistantQuestion question, CancellationToken ct)
    {
        // Upper-case words are candidate tickers; a one-letter ticker only with a '$' ("$V"), or "I" would be a symbol.
        var prompt = question.Prompt;
        var candidates = Ticker().Matches(prompt).Select(m => m.Groups["s"].Value)
            .Where(s => s.Length > 1 || prompt.Contains("$" + s, StringComparison.Ordinal)).Distinct().ToArray();
        if (candidates.Length == 0)
        {
            return [];
        }

        var listed = await session.Query<InstrumentView>().Where(x => candidates.Contains(x.Symbol)).Select(x => x.Symbol).ToListAsync(ct);
        return [.. candidates.Where(listed.Contains).Take(MaxSymbols).Select(s => new JsonObject { ["symbol"] = s }.ToJsonString())];
    }

    public async Task<string> RunAsync(IQuerySession session, AssistantQuestion question, string arguments, CancellationToken ct)
    {
        var symbol = JsonNode.Parse(arguments)!["symbol"]!.GetValue<string>();
        var quote = await session.LoadAsync<QuoteSnapshot>(symbol, ct);
        return quote is null
            ? $"{symbol}: no quote yet."
            : string.Create(CultureInfo.InvariantCulture,
                $"{symbol}: bid {quote.Bid} ask {quote.Ask} at {quote.QuotedAt:u}{(quote.Stale ? " (stale)" : "")}.");
    }

    [GeneratedRegex(@"(?<![A-Za-z0-9])\$?(?<s>[A-Z]{1,5})(?![A-Za-z0-9])")]
    private static partial Regex Ticker();
}
