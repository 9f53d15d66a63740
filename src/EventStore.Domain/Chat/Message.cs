using EventStore.Domain.Privacy;

namespace EventStore.Domain.Chat;

/// <summary>Slim write model of one message: who wrote it, in which room, its current text, and whether it is deleted.</summary>
public sealed class Message
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public Guid RoomId { get; set; }
    public Guid AuthorId { get; set; }
    /// <summary>Sealed under the author's key; null once deleted.</summary>
    public SealedText? Text { get; set; }
    public DateTimeOffset PostedAt { get; set; }
    public bool Deleted { get; set; }

    public void Apply(MessagePosted e)
    {
        Id = e.MessageId;
        RoomId = e.RoomId;
        AuthorId = e.AuthorId;
        Text = e.Text;
        PostedAt = e.PostedAt;
    }

    public void Apply(MessageEdited e) => Text = e.Text;

    public void Apply(MessageDeleted e)
    {
        Deleted = true;
        Text = null;
    }
}

/// <summary>Write model of a member's read marker in a room.</summary>
public sealed class ReadMarker
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public Guid UpToMessageId { get; set; }
    public DateTimeOffset UpToPostedAt { get; set; }

    /// <summary>Messages are ordered by (posted at, id); a marker never moves back.</summary>
    public bool IsBefore(DateTimeOffset postedAt, Guid messageId) =>
        UpToMessageId == Guid.Empty || (UpToPostedAt, UpToMessageId).CompareTo((postedAt, messageId)) < 0;

    public void Apply(RoomMessagesRead e)
    {
        UpToMessageId = e.UpToMessageId;
        UpToPostedAt = e.UpToPostedAt;
    }
}
