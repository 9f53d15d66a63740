using EventStore.Domain.Community;
using EventStore.Domain.Privacy;
using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;

namespace EventStore.Projections.Community;

/// <summary>
/// One post as feeds and `post(id)` show it. After a deletion the text and its edit history are gone (redaction); what
/// remains is that a post was there, who wrote it, and when it was deleted. Hidden posts keep their text: the author
/// and moderators still read them (CommunityReads filters).
/// </summary>
public sealed class PostView
{
    public Guid Id { get; set; }
    public Guid AuthorId { get; set; }

    /// <summary>Null once deleted, or once the author is erased.</summary>
    public string? Text { get; set; }
    public string? Symbol { get; set; }
    public PostDirection? Direction { get; set; }
    public PostHorizon? Horizon { get; set; }
    public List<Guid> AttachmentIds { get; set; } = [];
    public List<Guid> MentionedUserIds { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? EditedAt { get; set; }

    /// <summary>Earlier texts, oldest first (empty strings once the author is erased).</summary>
    public List<PostRevision> Revisions { get; set; } = [];

    public bool Deleted { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    public bool Hidden { get; set; }

    /// <summary>The last hide or restore: who, when, and the reason (opened with the moderator's key).</summary>
    public Guid? ModeratedBy { get; set; }
    public DateTimeOffset? ModeratedAt { get; set; }
    public string? ModerationReason { get; set; }
    public int ReportCount { get; set; }
    public int Version { get; set; }
}

public sealed record PostRevision(string Text, DateTimeOffset WrittenAt);

/// <summary>
/// Async projection, a pure function of the post's events and of the keys that seal its texts: once the author's key is
/// erased a rebuild gives the same rows as <see cref="CommunityErasureProjection"/> leaves behind.
/// </summary>
public sealed class PostViewProjection : SingleStreamProjection<PostView, Guid>
{
    private readonly PersonalDataProtector _protector;

    /// <summary>Filtered on the module's event types: the shards never load other modules' events (docs/performance.md).</summary>
    public PostViewProjection(PersonalDataProtector protector)
    {
        _protector = protector;
        IncludedEventTypes.AddRange(CommunityModule.EventTypes);
    }

    public override async ValueTask<PostView?> EvolveAsync(PostView? snapshot, Guid id, IQuerySession session, IEvent e,
        CancellationToken cancellation)
    {
        switch (e.Data)
        {
            case PostCreated created:
                return Start(created, await _protector.OpenerAsync(session, [created.Text.Subject], cancellation));
            case PostEdited edited when snapshot is not null:
                Fold(edited, snapshot, await _protector.OpenerAsync(session, [edited.Text.Subject], cancellation));
                return snapshot;
            case PostDeleted deleted when snapshot is not null:
                Fold(deleted, snapshot);
                return snapshot;
            case PostReported when snapshot is not null:
                snapshot.ReportCount++;
                return snapshot;
            case PostHidden hidden when snapshot is not null:
                Moderate(snapshot, true, hidden.ModeratorId, hidden.HiddenAt,
                    (await _protector.OpenerAsync(session, [hidden.Reason.Subject], cancellation)).Open(hidden.Reason));
                return snapshot;
            case PostRestored restored when snapshot is not null:
                Moderate(snapshot, false, restored.ModeratorId, restored.RestoredAt,
                    (await _protector.OpenerAsync(session, [restored.Reason.Subject], cancellation)).Open(restored.Reason));
                return snapshot;
            default:
                return snapshot;
        }
    }

    public static PostView Start(PostCreated e, PersonalDataOpener personal) => new()
    {
        Id = e.PostId, AuthorId = e.AuthorId, Text = personal.Open(e.Text), Symbol = e.Symbol, Direction = e.Direction,
        Horizon = e.Horizon, AttachmentIds = [.. e.AttachmentIds], MentionedUserIds = [.. e.MentionedUserIds], CreatedAt = e.CreatedAt,
    };

    public static void Fold(PostEdited e, PostView view, PersonalDataOpener personal)
    {
        if (view.Deleted)
        {
            return;
        }

        view.Revisions.Add(new PostRevision(view.Text ?? "", view.EditedAt ?? view.CreatedAt));
        view.Text = personal.Open(e.Text);
        view.MentionedUserIds = [.. e.MentionedUserIds];
        view.EditedAt = e.EditedAt;
    }

    public static void Fold(PostDeleted e, PostView view)
    {
        view.Text = null;
        view.Revisions.Clear();
        view.MentionedUserIds.Clear();
        view.AttachmentIds.Clear();
        view.Deleted = true;
        view.DeletedAt = e.DeletedAt;
    }

    private static void Moderate(PostView view, bool hidden, Guid moderator, DateTimeOffset at, string? reason)
    {
        view.Hidden = hidden;
        view.ModeratedBy = moderator;
        view.ModeratedAt = at;
        view.ModerationReason = reason;
    }

    /// <summary>What an erasure of the author leaves: what a rebuild without the key gives.</summary>
    public static void Forget(PostView view)
    {
        view.Text = null;
        view.Revisions = [.. view.Revisions.Select(r => r with { Text = "" })];
    }
}
