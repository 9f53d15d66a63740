using EventStore.Domain.Chat;
using JasperFx.Events;
using Marten;
using static EventStore.Projections.Analytics.AnalyticsTables;

namespace EventStore.Projections.Analytics;

/// <summary>
/// Async projection that fills the chat tables of the `analytics` schema: one fact per posted message and one per
/// deletion (insert-if-absent, keyed by the message's pseudonym), then the touched room-days recomputed from the facts.
/// It reads only ids, flags and timestamps: never the text, which stays sealed in the event (docs/analytics.md).
/// </summary>
public sealed class ChatAnalyticsProjection(AnalyticsPseudonyms pseudonyms)
    : AnalyticsProjection(ProjectionName, pseudonyms, [typeof(MessagePosted), typeof(MessageDeleted)], ChatTables)
{
    public const string ProjectionName = "ChatAnalytics";

    public override Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var messages = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            switch (e.Data)
            {
                case MessagePosted posted:
                    var key = Pseudonyms.Message(posted.MessageId);
                    // The assistant's replies are posted under its system user id: named as such, not as a trader.
                    var author = posted.AuthorId == ChatIds.AssistantUserId
                        ? AnalyticsPseudonyms.AssistantAuthor
                        : Pseudonyms.Trader(posted.AuthorId);
                    operations.QueueSqlCommand(
                        $"""
                        insert into {ChatMessages} (message_key, room_key, day, author, mentions_assistant)
                        values (?, ?, ?, ?, ?) on conflict do nothing
                        """,
                        key, Pseudonyms.Room(posted.RoomId), TradingAnalyticsProjection.Day(posted.PostedAt), author,
                        posted.MentionsAssistant);
                    messages.Add(key);
                    break;
                case MessageDeleted deleted:
                    var gone = Pseudonyms.Message(deleted.MessageId);
                    operations.QueueSqlCommand($"insert into {ChatMessageDeletions} (message_key, day) values (?, ?) on conflict do nothing",
                        gone, TradingAnalyticsProjection.Day(deleted.DeletedAt));
                    messages.Add(gone);
                    break;
            }
        }

        if (messages.Count > 0)
        {
            operations.QueueSqlCommand(AnalyticsSql.RecomputeChatMessagesDaily, [messages.Order(StringComparer.Ordinal).ToArray()]);
        }

        return Task.CompletedTask;
    }
}
