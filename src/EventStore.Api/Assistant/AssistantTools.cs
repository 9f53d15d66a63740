using System.Text;
using System.Text.RegularExpressions;
using EventStore.Api.Assistant.Tools;
using EventStore.Domain.Assistant.Asking;
using Marten;

namespace EventStore.Api.Assistant;

/// <summary>A tool call a question asks for, before anything is read.</summary>
public sealed record PlannedCall(IAssistantTool Tool, string Arguments);

/// <summary>
/// What the tools found for one audience, as the assistant is given it (the context) and as it is recorded (the calls).
/// <see cref="Withheld"/> are the calls the question asked for that this audience may not hear: they did not run.
/// </summary>
public sealed record GatheredContext(
    AssistantAudience Audience, string Context, IReadOnlyList<ToolCall> Calls, IReadOnlyList<ToolResult> Results,
    IReadOnlyList<PlannedCall> Withheld, bool TouchesTrading);

/// <summary>
/// The tool gatherer, and the one place where the audience is enforced. The platform picks the tools from the prompt
/// before the provider is called (the model does not call them itself), then runs only those whose data every reader of
/// the answer may read (<see cref="AssistantAudience.MayHear"/>): the asker's own account only for the asker alone,
/// market data for anyone, a room's messages for that room's readers. Both providers get exactly the context built here
/// and nothing else (no history, no user id), so no answer can carry what its audience may not read.
/// </summary>
public sealed partial class AssistantTools(IDocumentStore store, IEnumerable<IAssistantTool> tools)
{
    public const string PrivateInstructions =
        "You are the assistant of a trading and chat platform. Answer briefly and only from the data below, which belongs " +
        "to the user asking and is read by them alone. Never recommend buying or selling: this is not investment advice.";

    public const string SharedInstructions =
        "You are the assistant of a trading and chat platform, answering in a chat room that other people read. Answer " +
        "briefly and only from the data below, which every reader of the room may see. You are given nothing about the " +
        "asking user's own account: never state or guess their cash, positions, orders, fills or P&L. Never recommend " +
        "buying or selling: this is not investment advice.";

    private readonly IReadOnlyList<IAssistantTool> _tools = [.. tools];

    /// <summary>The calls the question asks for, in the tools' order; reads nothing private.</summary>
    public async Task<IReadOnlyList<PlannedCall>> PlanAsync(AssistantQuestion question, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var plan = new List<PlannedCall>();
        foreach (var tool in _tools)
        {
            plan.AddRange((await tool.SelectAsync(session, question, ct)).Select(arguments => new PlannedCall(tool, arguments)));
        }

        return plan;
    }

    public async Task<GatheredContext> GatherAsync(AssistantQuestion question, AssistantAudience audience, CancellationToken ct) =>
        await GatherAsync(question, await PlanAsync(question, ct), audience, ct);

    /// <summary>Runs the planned calls this audience may hear; the others are withheld unread.</summary>
    public async Task<GatheredContext> GatherAsync(AssistantQuestion question, IReadOnlyList<PlannedCall> plan, AssistantAudience audience,
        CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var results = new List<(PlannedCall Call, ToolResult Result)>();
        var withheld = new List<PlannedCall>();
        foreach (var call in plan)
        {
            if (!audience.MayHear(call.Tool.Data, question.Room))
            {
                withheld.Add(call);
                continue;
            }

            results.Add((call, new ToolResult(call.Tool.Name, call.Arguments, await call.Tool.RunAsync(session, question, call.Arguments, ct))));
        }

        var context = new StringBuilder(audience.Kind == AudienceKind.Asker ? PrivateInstructions : SharedInstructions);
        foreach (var (_, r) in results)
        {
            context.Append("\n[").Append(r.Tool).Append("] ").Append(r.Summary);
        }

        foreach (var name in withheld.Select(w => w.Tool.Name).Distinct())
        {
            context.Append("\n[").Append(name).Append("] not available here: the readers of this answer may not see it.");
        }

        return new GatheredContext(audience, context.ToString(),
            [.. results.Select(r => new ToolCall(r.Result.Tool, r.Result.Arguments, r.Result.Summary, audience.Name))],
            [.. results.Select(r => r.Result)], withheld, results.Any(r => r.Call.Tool.TouchesTrading));
    }

    /// <summary>Anything about trading gets the "not investment advice" flag.</summary>
    public static bool TouchesTrading(string text) => TradingWords().IsMatch(text);

    [GeneratedRegex(@"\b(portfolio|p&l|pnl|positions?|holdings?|stocks?|shares?|buy|sell|invest\w*|trad\w*|quotes?|price|orders?|fills?|market)\b",
        RegexOptions.IgnoreCase)]
    private static partial Regex TradingWords();
}
