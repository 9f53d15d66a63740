using EventStore.Domain.Assistant;
using EventStore.Domain.Privacy;
using EventStore.Domain.Users;
using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using Marten.Events.Projections;

namespace EventStore.Projections.Assistant;

/// <summary>
/// One interaction as its user (and an auditor) sees it: what was asked, what the assistant was given, the tools that
/// ran, and the outcome with provider, model, tokens, latency and cost. The texts are null once the user is erased.
/// </summary>
public sealed class InteractionView
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public Guid? ConversationId { get; set; }
    public Guid? RoomId { get; set; }
    public Guid? MessageId { get; set; }
    public string? Prompt { get; set; }
    public string? Context { get; set; }
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

public sealed record ToolInvocation(string Tool, string Arguments, string? ResultSummary);

/// <summary>
/// Async projection, a pure function of the interaction's events and of the asking user's key (texts opened at projection
/// time): after an erasure a rebuild gives the rows <see cref="AssistantErasureProjection"/> leaves behind.
/// </summary>
public sealed class InteractionViewProjection : SingleStreamProjection<InteractionView, Guid>
{
    private readonly PersonalDataProtector _protector;

    /// <summary>Filtered on the module's event types: the shards never load other modules' events (docs/performance.md).</summary>
    public InteractionViewProjection(PersonalDataProtector protector)
    {
        _protector = protector;
        IncludedEventTypes.AddRange(AssistantModule.EventTypes);
    }

    public override async ValueTask<InteractionView?> EvolveAsync(
        InteractionView? snapshot, Guid id, IQuerySession session, IEvent e, CancellationToken cancellation)
    {
        switch (e.Data)
        {
            case AssistantPromptSubmitted submitted:
                return Start(submitted, await _protector.OpenerAsync(session, [submitted.UserId, submitted.Prompt.Subject], cancellation));
            case AssistantToolInvoked invoked when snapshot is not null:
                Fold(invoked, snapshot, await _protector.OpenerAsync(session, [invoked.ResultSummary.Subject], cancellation));
                return snapshot;
            case AssistantResponseReceived received when snapshot is not null:
                Fold(received, snapshot, await _protector.OpenerAsync(session, [received.Text.Subject], cancellation));
                return snapshot;
            case AssistantRequestFailed failed when snapshot is not null:
                Fold(failed, snapshot);
                return snapshot;
            default:
                return snapshot;
        }
    }

    public static InteractionView Start(AssistantPromptSubmitted e, PersonalDataOpener personal) => new()
    {
        Id = e.InteractionId, UserId = e.UserId, ConversationId = e.ConversationId, RoomId = e.RoomId, MessageId = e.MessageId,
        Prompt = personal.Open(e.Prompt), Context = personal.Open(e.Context), Status = InteractionStatus.Pending,
        SubmittedAt = e.SubmittedAt,
    };

    public static void Fold(AssistantToolInvoked e, InteractionView view, PersonalDataOpener personal) =>
        view.Tools.Add(new ToolInvocation(e.Tool, e.Arguments, personal.Open(e.ResultSummary)));

    public static void Fold(AssistantResponseReceived e, InteractionView view, PersonalDataOpener personal)
    {
        view.Status = InteractionStatus.Answered;
        view.Response = personal.Open(e.Text);
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

    public static void Fold(AssistantRequestFailed e, InteractionView view)
    {
        view.Status = InteractionStatus.Failed;
        view.Provider = e.Provider;
        view.Model = e.Model;
        view.ErrorClass = e.ErrorClass;
        view.Attempts = e.Attempts;
        view.LatencyMs = e.LatencyMs;
        view.CompletedAt = e.FailedAt;
    }

    /// <summary>What an erasure of the asking user leaves: what a rebuild without their key gives.</summary>
    public static void Forget(InteractionView view)
    {
        view.Prompt = view.Context = view.Response = null;
        view.Tools = [.. view.Tools.Select(t => t with { ResultSummary = null })];
    }
}

/// <summary>
/// Async projection on <see cref="PersonalDataErased"/>: blanks at once the texts of the erased user's interactions,
/// which <see cref="InteractionViewProjection"/> would only show as null on its next rebuild.
/// </summary>
public sealed partial class AssistantErasureProjection : EventProjection
{
    public AssistantErasureProjection() => IncludeType<PersonalDataErased>();

    public override async ValueTask ApplyAsync(IDocumentOperations operations, IEvent e, CancellationToken cancellation)
    {
        if (e.Data is not PersonalDataErased erased)
        {
            return;
        }

        var views = await operations.Query<InteractionView>().Where(x => x.UserId == erased.UserId).ToListAsync(cancellation);
        foreach (var view in views)
        {
            InteractionViewProjection.Forget(view);
            operations.Store(view);
        }
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
