namespace EventStore.Domain.Assistant;

public enum InteractionStatus
{
    Pending,
    Answered,
    Failed,
}

/// <summary>Write model of one interaction: whose it is, where it was asked, and whether it has an outcome yet.</summary>
public sealed class Interaction
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public Guid UserId { get; set; }
    public Guid? ConversationId { get; set; }
    public Guid? RoomId { get; set; }
    public InteractionStatus Status { get; set; }

    public void Apply(AssistantPromptSubmitted e)
    {
        Id = e.InteractionId;
        UserId = e.UserId;
        ConversationId = e.ConversationId;
        RoomId = e.RoomId;
        Status = InteractionStatus.Pending;
    }

    public void Apply(AssistantResponseReceived e) => Status = InteractionStatus.Answered;

    public void Apply(AssistantRequestFailed e) => Status = InteractionStatus.Failed;
}

/// <summary>Write model of a conversation: its owner, the only user who may use or read it.</summary>
public sealed class Conversation
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public Guid UserId { get; set; }

    public void Apply(AssistantConversationStarted e)
    {
        Id = e.ConversationId;
        UserId = e.UserId;
    }
}
