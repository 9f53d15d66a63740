using EventStore.Domain.Chat;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using static EventStore.Projections.Analytics.AnalyticsTables;

namespace EventStore.Projections.Analytics;

/// <summary>
/// Async projection that fills the chat tables of the `analytics` schema: one fact per posted message and one per
/// deletion (insert-if-absent, keyed by the message's pseudonym), then the touched room-days recomputed from the facts.
/// It reads only ids, flags and timestamps: never the text, which stays sealed in the event (docs/analytics.md).
/// </summary>
public sealed class ChatAnalyticsProjection : JasperFx.Events.Projections.ProjectionBase, IProjection
{
    public const string ProjectionName = "ChatAnalytics";

    private readonly AnalyticsPseudonyms _pseudonyms;

    public ChatAnalyticsProjection(AnalyticsPseudonyms pseudonyms)
    {
        _pseudonyms = pseudonyms;
        Name = ProjectionName;
        IncludedEventTypes.AddRange([typeof(MessagePosted), typeof(MessageDeleted)]);
        foreach (var table in ChatTables)
        {
            Options.DeleteDataInTableOnTeardown(table);
        }
    }

    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var messages = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            switch (e.Data)
            {
                case MessagePosted posted:
                    var key = _pseudonyms.Message(posted.MessageId);
                    // The assistant's replies are posted under its system user id: named as such, not as a trader.
                    var author = posted.AuthorId == ChatIds.AssistantUserId
                        ? AnalyticsPseudonyms.AssistantAuthor
                        : _pseudonyms.Trader(posted.AuthorId);
                    operations.QueueSqlCommand(
                        $"""
                        insert into {ChatMessages} (message_key, room_key, day, author, mentions_assistant)
                        values (?, ?, ?, ?, ?) on conflict do nothing
                        """,
                        key, _pseudonyms.Room(posted.RoomId), TradingAnalyticsProjection.Day(posted.PostedAt), author,
                        posted.MentionsAssistant);
                    messages.Add(key);
                    break;
                case MessageDeleted deleted:
                    var gone = _pseudonyms.Message(deleted.MessageId);
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
