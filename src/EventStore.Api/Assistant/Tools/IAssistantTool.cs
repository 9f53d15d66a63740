using EventStore.Domain.Chat;
using Marten;

namespace EventStore.Api.Assistant.Tools;

/// <param name="AskerId">From the interaction, never from the prompt: no tool can read another user's data.</param>
/// <param name="Room">The room the question was asked in (live from its stream), null in a conversation.</param>
public sealed record AssistantQuestion(Guid AskerId, string Prompt, Room? Room);

/// <summary>
/// One read-only tool. It says which calls a question asks for and whose data it reads (<see cref="Data"/>); it never
/// decides who may hear the result: <see cref="AssistantTools"/> does, for every tool, before <see cref="RunAsync"/>.
/// </summary>
public interface IAssistantTool
{
    /// <summary>Recorded as <c>AssistantToolInvoked.Tool</c>.</summary>
    string Name { get; }

    ToolData Data { get; }

    /// <summary>A result of this tool earns the answer the "not investment advice" flag.</summary>
    bool TouchesTrading { get; }

    /// <summary>The calls the question asks for, as JSON arguments (none when it does not); reads nothing private.</summary>
    Task<IReadOnlyList<string>> SelectAsync(IQuerySession session, AssistantQuestion question, CancellationToken ct);

    /// <summary>Only <see cref="AssistantTools"/> calls this, and only for an audience that may hear <see cref="Data"/>.</summary>
    Task<string> RunAsync(IQuerySession session, AssistantQuestion question, string arguments, CancellationToken ct);
}
