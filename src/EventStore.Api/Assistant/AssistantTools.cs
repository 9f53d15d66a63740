using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using EventStore.Api.GraphQL.Trading;
using EventStore.Domain.Assistant.Asking;
using EventStore.Domain.Chat;
using EventStore.Domain.Trading.Orders;
using EventStore.Projections.Chat;
using EventStore.Projections.Trading;
using EventStore.Projections.Users;
using Marten;

namespace EventStore.Api.Assistant;

/// <summary>What the tools found, as the assistant is given it (the context) and as it is recorded (the calls).</summary>
public sealed record GatheredContext(string Context, IReadOnlyList<ToolCall> Calls, IReadOnlyList<ToolResult> Results, bool TouchesTrading);

/// <summary>
/// The assistant's read-only tools: portfolio, quote, recent fills and room summary. The platform picks them from the
/// prompt before the provider is called (the model does not call them itself), and every tool takes the asking user's
/// id from the interaction, never from the prompt: no tool can read another user's data. A room summary is only made
/// for a room the question was asked in, by a member.
/// </summary>
public sealed partial class AssistantTools(IDocumentStore store)
{
    public const string Instructions =
        "You are the assistant of a trading and chat platform. Answer briefly and only from the data below, which belongs " +
        "to the user asking. Never recommend buying or selling: this is not investment advice.";

    private const int MaxSymbols = 3;

    public async Task<GatheredContext> GatherAsync(Guid userId, Guid? roomId, string prompt, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var results = new List<ToolResult>();
        if (PortfolioWords().IsMatch(prompt))
        {
            results.Add(new ToolResult("portfolio", "{}", Describe(await TradingReads.PortfolioAsync(session, userId, ct))));
        }

        foreach (var symbol in await SymbolsAsync(session, prompt, ct))
        {
            var quote = await session.LoadAsync<QuoteSnapshot>(symbol, ct);
            results.Add(new ToolResult("quote", $$"""{"symbol":"{{symbol}}"}""", quote is null
                ? $"{symbol}: no quote yet."
                : string.Create(CultureInfo.InvariantCulture,
                    $"{symbol}: bid {quote.Bid} ask {quote.Ask} at {quote.QuotedAt:u}{(quote.Stale ? " (stale)" : "")}.")));
        }

        if (FillWords().IsMatch(prompt))
        {
            var (fills, _) = await TradingReads.FillsAsync(session, userId, null, 5, null, ct);
            results.Add(new ToolResult("recent_fills", """{"first":5}""", fills.Count == 0
                ? "You have no fills yet."
                : "Your latest fills: " + string.Join("; ", fills.Select(f => string.Create(CultureInfo.InvariantCulture,
                    $"{f.Side} {f.Quantity} {f.Symbol} @ {f.Price} (fee {f.Fee}) at {f.FilledAt:u}"))) + "."));
        }

        if (roomId is { } room && SummaryWords().IsMatch(prompt))
        {
            results.Add(new ToolResult("room_summary", $$"""{"roomId":"{{room}}"}""", await SummarizeRoomAsync(session, room, userId, ct)));
        }

        var context = new StringBuilder(Instructions);
        foreach (var r in results)
        {
            context.Append("\n[").Append(r.Tool).Append("] ").Append(r.Summary);
        }

        return new GatheredContext(context.ToString(), [.. results.Select(r => new ToolCall(r.Tool, r.Arguments, r.Summary))], results,
            results.Any(r => r.Tool is "portfolio" or "quote" or "recent_fills"));
    }

    /// <summary>Anything about trading gets the "not investment advice" flag.</summary>
    public static bool TouchesTrading(string text) => TradingWords().IsMatch(text);

    private static string Describe(Portfolio p)
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"Your portfolio: cash {p.Cash}, available {p.AvailableCash}, reserved {p.ReservedCash}; market value {p.MarketValue}; realized P&L {p.RealizedPnl}, unrealized P&L {p.UnrealizedPnl}.");
        return p.Positions.Count == 0
            ? text + " No positions."
            : text + " Positions: " + string.Join("; ", p.Positions.Select(x => string.Create(CultureInfo.InvariantCulture,
                $"{x.Symbol} {x.Quantity} @ average {x.AverageCost:0.####}{(x.MarketPrice is { } m ? $", mark {m}, unrealized {x.UnrealizedPnl}" : "")}"))) + ".";
    }

    private static async Task<IReadOnlyList<string>> SymbolsAsync(IQuerySession session, string prompt, CancellationToken ct)
    {
        // Upper-case words are candidate tickers; a one-letter ticker only with a '$' ("$V"), or "I" would be a symbol.
        var candidates = Ticker().Matches(prompt).Select(m => m.Groups["s"].Value)
            .Where((s, i) => s.Length > 1 || prompt.Contains("$" + s, StringComparison.Ordinal)).Distinct().ToArray();
        if (candidates.Length == 0)
        {
            return [];
        }

        var listed = await session.Query<InstrumentView>().Where(x => candidates.Contains(x.Symbol)).Select(x => x.Symbol).ToListAsync(ct);
        return [.. candidates.Where(listed.Contains).Take(MaxSymbols)];
    }

    private static async Task<string> SummarizeRoomAsync(IQuerySession session, Guid roomId, Guid userId, CancellationToken ct)
    {
        var room = await session.Events.AggregateStreamAsync<Room>(roomId, token: ct);
        if (room is null || !room.IsMember(userId))
        {
            return "No summary: you are not a member of this room.";
        }

        var messages = await session.Query<ChatMessageView>()
            .Where(x => x.RoomId == roomId && !x.Deleted && x.AuthorId != ChatIds.AssistantUserId)
            .OrderByDescending(x => x.PostedAt).Take(20).ToListAsync(ct);
        if (messages.Count == 0)
        {
            return "The room has no messages yet.";
        }

        var authors = messages.Select(m => m.AuthorId).Distinct().ToArray();
        var names = (await session.LoadManyAsync<UserProfile>(ct, authors)).ToDictionary(p => p.Id, p => p.Username);
        var lines = messages.Take(5).Select(m =>
            $"{names.GetValueOrDefault(m.AuthorId, "someone")}: \"{Shorten(m.Text ?? "", 80)}\"");
        return $"The last {messages.Count} messages come from {authors.Length} people. Latest first: {string.Join("; ", lines)}.";
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    [GeneratedRegex(@"\b(portfolio|p&l|pnl|p/l|profit|loss|positions?|holdings?|cash|balance)\b", RegexOptions.IgnoreCase)]
    private static partial Regex PortfolioWords();

    [GeneratedRegex(@"\b(fills?|trades?|executions?|bought|sold)\b", RegexOptions.IgnoreCase)]
    private static partial Regex FillWords();

    [GeneratedRegex(@"(summar\w*|recap|catch (me )?up|what did i miss|tl;?dr)", RegexOptions.IgnoreCase)]
    private static partial Regex SummaryWords();

    [GeneratedRegex(@"(?<![A-Za-z0-9])\$?(?<s>[A-Z]{1,5})(?![A-Za-z0-9])")]
    private static partial Regex Ticker();

    [GeneratedRegex(@"\b(portfolio|p&l|pnl|positions?|holdings?|stocks?|shares?|buy|sell|invest\w*|trad\w*|quotes?|price|orders?|fills?|market)\b",
        RegexOptions.IgnoreCase)]
    private static partial Regex TradingWords();
}
