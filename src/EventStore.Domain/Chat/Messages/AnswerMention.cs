using EventStore.Domain.Privacy;
using Wolverine.Attributes;

namespace EventStore.Domain.Chat.Messages;

/// <summary>
/// Cascaded by a post that mentions @assistant, through the durable inbox: answered after the post has committed, so the
/// post never depends on the assistant. <paramref name="InteractionId"/> derives from the message, so a redelivery is
/// recognised. <paramref name="Prompt"/> is sealed under the asking user's key: the envelope is stored in Wolverine's
/// tables, and kept there a while after it is handled, so clear text in it would outlive an erasure. A message enqueued
/// before the prompt was sealed carries it as a clear string, which still reads (SealedText.LegacyClearText).
/// Chat owns this message (a room's request to the assistant) and the Assistant module handles it, so Chat does not
/// depend on the Assistant. Its message identity is the name it had when the Assistant held it: envelopes waiting in the
/// durable inbox still resolve.
/// </summary>
[MessageIdentity("EventStore.Domain.Assistant.Asking.AnswerMention")]
public sealed record AnswerMention(Guid InteractionId, Guid RoomId, Guid MessageId, Guid UserId, SealedText Prompt);
