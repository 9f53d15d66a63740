using EventStore.Domain;
using Marten;

namespace EventStore.Projections.Assistant;

/// <summary>Every read of the Assistant read models (conversations, interactions, usage).</summary>
public static class AssistantQueries
{
    /// <summary>The user's newest conversations, each with its interactions oldest first (two round trips).</summary>
    public static async Task<IReadOnlyList<ConversationWithInteractions>> ConversationsAsync(IQuerySession session, Guid userId, int limit,
        CancellationToken ct)
    {
        var conversations = await session.Query<ConversationView>().Where(x => x.UserId == userId)
            .OrderByDescending(x => x.StartedAt).Take(limit).ToListAsync(ct);
        var ids = conversations.Select(x => x.Id).ToArray();
        var interactions = ids.Length == 0 ? [] : await session.Query<InteractionView>()
            .Where(x => x.UserId == userId && x.ConversationId != null && ids.Contains(x.ConversationId.Value))
            .OrderBy(x => x.SubmittedAt).ToListAsync(ct);
        return conversations.Select(v => new ConversationWithInteractions(v,
            interactions.Where(i => i.ConversationId == v.Id).ToList())).ToList();
    }

    /// <summary>The conversation (projection row, else live) with its projected interactions.</summary>
    public static async Task<ConversationWithInteractions> ConversationAsync(IQuerySession session, Guid id, Guid viewer, CancellationToken ct)
    {
        var view = await session.LoadAsync<ConversationView>(id, ct)
            ?? await session.Events.AggregateStreamAsync<ConversationView>(id, token: ct);
        if (view is null || view.Id == Guid.Empty || view.UserId != viewer)
        {
            throw new NotFoundException("Conversation not found.");
        }

        var interactions = await session.Query<InteractionView>().Where(x => x.ConversationId == id).OrderBy(x => x.SubmittedAt)
            .ToListAsync(ct);
        return new ConversationWithInteractions(view, interactions);
    }

    /// <summary>An interaction as of its latest event (what a mutation returns).</summary>
    public static Task<InteractionView?> InteractionAsync(IQuerySession session, Guid interactionId, CancellationToken ct) =>
        session.Events.AggregateStreamAsync<InteractionView>(interactionId, token: ct);

    /// <summary>An interaction as of one of its events (what a live update shows).</summary>
    public static Task<InteractionView?> InteractionAsOfAsync(IQuerySession session, Guid interactionId, long version, CancellationToken ct) =>
        session.Events.AggregateStreamAsync<InteractionView>(interactionId, version, token: ct);

    public static async Task<IReadOnlyList<UserAssistantUsage>> UsageOfAsync(IQuerySession session, Guid userId, int limit,
        CancellationToken ct) =>
        await session.Query<UserAssistantUsage>().Where(x => x.UserId == userId).OrderByDescending(x => x.Day).Take(limit).ToListAsync(ct);

    public static async Task<IReadOnlyList<ModelAssistantUsage>> UsageByModelAsync(IQuerySession session, int limit, CancellationToken ct) =>
        await session.Query<ModelAssistantUsage>().OrderByDescending(x => x.Day).Take(limit).ToListAsync(ct);
}

/// <summary>A conversation with its interactions, oldest first.</summary>
public sealed record ConversationWithInteractions(ConversationView Conversation, IReadOnlyList<InteractionView> Interactions);
