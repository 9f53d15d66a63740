using EventStore.Domain.Assistant;
using Marten.Events.Aggregation;

namespace EventStore.Projections.Assistant;

/// <summary>
/// One interaction as its user (and an auditor) sees it: what was asked, what the assistant was given, the tools that
/// ran, and the outcome with provider, model, tokens, latency and cost.
/// </summary>
public sealed class InteractionView
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public Guid? ConversationId { get; set; }
    public Guid? RoomId { get; set; }
    public Guid? MessageId { get; set; }
    public string Prompt { get; set; } = "";
    public string Context { get; set; } = "";
    public List<ToolInvocation> Tools { get; set; } = [];
    public InteractionStatus Status { get; set; }
    public string? Response { get; set; }
    public string? Provider { get; set; }
    public string? Model { get; set; }
    public int TokensIn { get; set; }
    public int TokensOut { get; set; }
    public long? LatencyMs { get; set; }
    public decimal Cost { get; set; }
    public string? FinishReason { get; set; }
    public bool Disclaimer { get; set; }
    public bool Offline { get; set; }
    public string? ErrorClass { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset SubmittedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public int Version { get; set; }
}

public sealed record ToolInvocation(string Tool, string Arguments, string ResultSummary);

public sealed class InteractionViewProjection : SingleStreamProjection<InteractionView, Guid>
{
    public static InteractionView Create(AssistantPromptSubmitted e) => new()
    {
        Id = e.InteractionId, UserId = e.UserId, ConversationId = e.ConversationId, RoomId = e.RoomId, MessageId = e.MessageId,
        Prompt = e.Prompt, Context = e.Context, Status = InteractionStatus.Pending, SubmittedAt = e.SubmittedAt,
    };

    public static void Apply(AssistantToolInvoked e, InteractionView view) =>
        view.Tools.Add(new ToolInvocation(e.Tool, e.Arguments, e.ResultSummary));

    public static void Apply(AssistantResponseReceived e, InteractionView view)
    {
        view.Status = InteractionStatus.Answered;
        view.Response = e.Text;
        view.Provider = e.Provider;
        view.Model = e.Model;
        view.TokensIn = e.TokensIn;
        view.TokensOut = e.TokensOut;
        view.LatencyMs = e.LatencyMs;
        view.Cost = e.Cost;
        view.FinishReason = e.FinishReason;
        view.Disclaimer = e.Disclaimer;
        view.Offline = e.Offline;
        view.CompletedAt = e.ReceivedAt;
    }

    public static void Apply(AssistantRequestFailed e, InteractionView view)
    {
        view.Status = InteractionStatus.Failed;
        view.Provider = e.Provider;
        view.Model = e.Model;
        view.ErrorClass = e.ErrorClass;
        view.Attempts = e.Attempts;
        view.LatencyMs = e.LatencyMs;
        view.CompletedAt = e.FailedAt;
    }
}

/// <summary>A conversation and its owner; its interactions are the InteractionView rows with its id.</summary>
public sealed class ConversationView
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public DateTimeOffset StartedAt { get; set; }
}

public sealed class ConversationViewProjection : SingleStreamProjection<ConversationView, Guid>
{
    public static ConversationView Create(AssistantConversationStarted e) =>
        new() { Id = e.ConversationId, UserId = e.UserId, StartedAt = e.StartedAt };
}
