using EventStore.Domain.Chat;
using EventStore.Domain.Community;
using EventStore.Domain.Trading.Instruments;
using EventStore.Domain.Trading.Orders;
using EventStore.Domain.Users;
using EventStore.Projections.Chat;
using EventStore.Projections.Community;
using EventStore.Projections.Trading;
using EventStore.Projections.Users;
using JasperFx.Events;
using Marten;

namespace EventStore.Projections.Search;

/// <summary>The document an event changes.</summary>
public readonly record struct SearchKey(string Type, Guid Id);

/// <summary>
/// Which events change which document, and how to build that document now. Both backends (the PostgreSQL projection
/// and the Elasticsearch indexer) use these, so they index the same documents. A document is rebuilt from its whole
/// stream, not patched per event: re-processing any event is harmless, and the result depends only on the log.
/// </summary>
public static class SearchSources
{
    public static readonly IReadOnlyList<Type> EventTypes =
    [
        typeof(UserRegistered), typeof(UserProfileUpdated), typeof(UserDeactivated), typeof(PersonalDataErased),
        typeof(InstrumentListed), typeof(InstrumentUpdated), typeof(InstrumentHalted), typeof(InstrumentResumed),
        typeof(OrderPlaced), typeof(OrderRejected), typeof(OrderFilled), typeof(OrderCancelled), typeof(OrderExpired),
        typeof(OrderAmended),
        typeof(MessagePosted), typeof(MessageEdited), typeof(MessageDeleted),
        typeof(PostCreated), typeof(PostEdited), typeof(PostDeleted), typeof(PostHidden), typeof(PostRestored), typeof(PostCommented),
    ];

    public static SearchKey? KeyOf(object data) => data switch
    {
        UserRegistered e => new SearchKey(SearchTypes.User, e.UserId),
        UserProfileUpdated e => new SearchKey(SearchTypes.User, e.UserId),
        UserDeactivated e => new SearchKey(SearchTypes.User, e.UserId),
        PersonalDataErased e => new SearchKey(SearchTypes.User, e.UserId),
        InstrumentListed e => new SearchKey(SearchTypes.Instrument, e.InstrumentId),
        InstrumentUpdated e => new SearchKey(SearchTypes.Instrument, e.InstrumentId),
        InstrumentHalted e => new SearchKey(SearchTypes.Instrument, e.InstrumentId),
        InstrumentResumed e => new SearchKey(SearchTypes.Instrument, e.InstrumentId),
        OrderPlaced e => new SearchKey(SearchTypes.Order, e.OrderId),
        OrderRejected e => new SearchKey(SearchTypes.Order, e.OrderId),
        OrderFilled e => new SearchKey(SearchTypes.Order, e.OrderId),
        OrderCancelled e => new SearchKey(SearchTypes.Order, e.OrderId),
        OrderExpired e => new SearchKey(SearchTypes.Order, e.OrderId),
        OrderAmended e => new SearchKey(SearchTypes.Order, e.OrderId),
        MessagePosted e => new SearchKey(SearchTypes.Message, e.MessageId),
        MessageEdited e => new SearchKey(SearchTypes.Message, e.MessageId),
        MessageDeleted e => new SearchKey(SearchTypes.Message, e.MessageId),
        PostCreated e => new SearchKey(SearchTypes.Post, e.PostId),
        PostEdited e => new SearchKey(SearchTypes.Post, e.PostId),
        PostDeleted e => new SearchKey(SearchTypes.Post, e.PostId),
        PostHidden e => new SearchKey(SearchTypes.Post, e.PostId),
        PostRestored e => new SearchKey(SearchTypes.Post, e.PostId),
        PostCommented e => new SearchKey(SearchTypes.Comment, e.CommentId),
        _ => null,
    };

    /// <summary>
    /// The distinct documents a page of events touches, in first-touched order, each with the last event that touched it.
    /// <see cref="PersonalDataErased"/> also touches every document that shows text sealed under the erased user's key:
    /// their messages (the documents go), their orders (the client order id goes) and every message in a room they
    /// created (the room's name, the title, goes). Those streams do not change, but their documents must.
    /// </summary>
    public static async Task<IReadOnlyDictionary<SearchKey, IEvent>> TouchedAsync(IQuerySession session, IEnumerable<IEvent> events,
        CancellationToken ct)
    {
        var touched = new Dictionary<SearchKey, IEvent>();
        foreach (var e in events)
        {
            if (KeyOf(e.Data) is { } key)
            {
                touched[key] = e;
            }

            // A post's comments follow it: hidden with it, shown again with it, gone with it.
            if (e.Data is PostHidden or PostRestored or PostDeleted)
            {
                foreach (var commentId in await CommentsOfAsync(session, ((SearchKey)KeyOf(e.Data)!).Id, ct))
                {
                    touched[new SearchKey(SearchTypes.Comment, commentId)] = e;
                }
            }

            if (e.Data is PersonalDataErased erased)
            {
                foreach (var postId in await StreamsSealedForAsync(session, [typeof(PostCreated), typeof(PostEdited)], erased.UserId, ct))
                {
                    touched[new SearchKey(SearchTypes.Post, postId)] = e;
                }

                foreach (var commentId in await StreamsSealedForAsync(session, [typeof(PostCommented)], erased.UserId, ct))
                {
                    touched[new SearchKey(SearchTypes.Comment, commentId)] = e;
                }

                foreach (var messageId in await MessagesSealedForAsync(session, erased.UserId, ct))
                {
                    touched[new SearchKey(SearchTypes.Message, messageId)] = e;
                }

                foreach (var orderId in await OrdersOfAsync(session, erased.UserId, ct))
                {
                    touched[new SearchKey(SearchTypes.Order, orderId)] = e;
                }

                foreach (var messageId in await MessagesInRoomsCreatedByAsync(session, erased.UserId, ct))
                {
                    touched[new SearchKey(SearchTypes.Message, messageId)] = e;
                }
            }
        }

        return touched;
    }

    /// <summary>
    /// The document as the whole stream now says (null: delete it). Users fold through <see cref="UserProfileProjection"/>
    /// and messages through <see cref="ChatMessageViewProjection"/>: both open sealed text with its owner's key, so an erased
    /// user, and the messages they wrote, yield nothing.
    /// </summary>
    public static async Task<SearchDocument?> LoadAsync(IQuerySession session, SearchKey key, CancellationToken ct)
    {
        switch (key.Type)
        {
            case SearchTypes.User:
                return SearchDocuments.For(await session.Events.AggregateStreamAsync<UserProfile>(key.Id, token: ct));
            case SearchTypes.Order:
                return SearchDocuments.For(await session.Events.AggregateStreamAsync<OrderView>(key.Id, token: ct));
            case SearchTypes.Instrument:
                var (instrument, at) = FoldInstrument(await session.Events.FetchStreamAsync(key.Id, token: ct));
                return SearchDocuments.For(instrument, at);
            case SearchTypes.Message:
                var message = await session.Events.AggregateStreamAsync<ChatMessageView>(key.Id, token: ct);
                return message is null ? null : SearchDocuments.For(message, await RoomTitleAsync(session, message.RoomId, ct));
            case SearchTypes.Post:
                return SearchDocuments.For(await session.Events.AggregateStreamAsync<PostView>(key.Id, token: ct));
            case SearchTypes.Comment:
                var comment = await session.Events.AggregateStreamAsync<PostCommentView>(key.Id, token: ct);
                return comment is null
                    ? null
                    : SearchDocuments.For(comment, await session.Events.AggregateStreamAsync<PostView>(comment.PostId, token: ct));
            default:
                return null;
        }
    }

    /// <summary>The instrument read model has no timestamps; the events carry them.</summary>
    private static (InstrumentView? View, DateTimeOffset At) FoldInstrument(IReadOnlyList<IEvent> events)
    {
        InstrumentView? view = null;
        var at = default(DateTimeOffset);
        foreach (var e in events)
        {
            switch (e.Data)
            {
                case InstrumentListed listed:
                    view = InstrumentViewProjection.Create(listed);
                    at = listed.ListedAt;
                    break;
                case InstrumentUpdated updated when view is not null:
                    InstrumentViewProjection.Apply(updated, view);
                    at = updated.UpdatedAt;
                    break;
                case InstrumentHalted halted when view is not null:
                    InstrumentViewProjection.Apply(halted, view);
                    at = halted.HaltedAt;
                    break;
                case InstrumentResumed resumed when view is not null:
                    InstrumentViewProjection.Apply(resumed, view);
                    at = resumed.ResumedAt;
                    break;
            }
        }

        return (view, at);
    }

    /// <summary>
    /// A room's name never changes after its first event, so folding that one event is enough. It folds through
    /// <see cref="ChatRoomViewProjection"/>, which opens the name with its creator's key: an erased creator's room is
    /// titled <see cref="SearchDocuments.UnnamedRoomTitle"/>.
    /// </summary>
    private static async Task<string> RoomTitleAsync(IQuerySession session, Guid roomId, CancellationToken ct) =>
        await session.Events.AggregateStreamAsync<ChatRoomView>(roomId, version: 1, token: ct) switch
        {
            null or { Visibility: RoomVisibility.Direct } => SearchDocuments.DirectRoomTitle,
            { Name: { } name } => name,
            _ => SearchDocuments.UnnamedRoomTitle,
        };

    /// <summary>
    /// The messages (posted or edited) whose text is sealed under <paramref name="subject"/>'s key, read from the log
    /// itself rather than from <see cref="ChatMessageView"/>, another async projection that may not have caught up yet.
    /// It scans the message events, which is acceptable for an erasure (rare); events store property names as declared
    /// (`Text`), and <see cref="EventStore.Domain.Privacy.SealedText"/> writes `subject`.
    /// </summary>
    private static async Task<IReadOnlyList<Guid>> MessagesSealedForAsync(IQuerySession session, Guid subject, CancellationToken ct)
    {
        var events = session.DocumentStore.Options.Events;
        string[] types = [typeof(MessagePosted).GetEventTypeName(events.EventNamingStyle), typeof(MessageEdited).GetEventTypeName(events.EventNamingStyle)];
        return await session.AdvancedSql.QueryAsync<Guid>(
            $"select distinct stream_id from {events.DatabaseSchemaName}.mt_events where type = any(?) and data -> 'Text' ->> 'subject' = ?",
            ct, types, subject.ToString("D"));
    }

    /// <summary>The orders (placed or rejected) of <paramref name="userId"/>, read from the log as above.</summary>
    private static async Task<IReadOnlyList<Guid>> OrdersOfAsync(IQuerySession session, Guid userId, CancellationToken ct)
    {
        var events = session.DocumentStore.Options.Events;
        string[] types = [typeof(OrderPlaced).GetEventTypeName(events.EventNamingStyle), typeof(OrderRejected).GetEventTypeName(events.EventNamingStyle)];
        return await session.AdvancedSql.QueryAsync<Guid>(
            $"select distinct stream_id from {events.DatabaseSchemaName}.mt_events where type = any(?) and data ->> 'UserId' = ?",
            ct, types, userId.ToString("D"));
    }

    /// <summary>The messages posted in the rooms <paramref name="creator"/> created, read from the log as above.</summary>
    private static async Task<IReadOnlyList<Guid>> MessagesInRoomsCreatedByAsync(IQuerySession session, Guid creator, CancellationToken ct)
    {
        var events = session.DocumentStore.Options.Events;
        return await session.AdvancedSql.QueryAsync<Guid>(
            $"""
            select distinct m.stream_id from {events.DatabaseSchemaName}.mt_events m
            where m.type = ? and m.data ->> 'RoomId' in (
              select r.stream_id::text from {events.DatabaseSchemaName}.mt_events r where r.type = ? and r.data ->> 'OwnerId' = ?)
            """,
            ct, typeof(MessagePosted).GetEventTypeName(events.EventNamingStyle), typeof(RoomCreated).GetEventTypeName(events.EventNamingStyle),
            creator.ToString("D"));
    }

    /// <summary>The streams whose events of <paramref name="types"/> hold text sealed under <paramref name="subject"/>'s key (as above).</summary>
    private static async Task<IReadOnlyList<Guid>> StreamsSealedForAsync(IQuerySession session, Type[] types, Guid subject,
        CancellationToken ct)
    {
        var events = session.DocumentStore.Options.Events;
        string[] names = [.. types.Select(t => t.GetEventTypeName(events.EventNamingStyle))];
        return await session.AdvancedSql.QueryAsync<Guid>(
            $"select distinct stream_id from {events.DatabaseSchemaName}.mt_events where type = any(?) and data -> 'Text' ->> 'subject' = ?",
            ct, names, subject.ToString("D"));
    }

    /// <summary>The comments on a post, read from the log (the comment read model may lag).</summary>
    private static async Task<IReadOnlyList<Guid>> CommentsOfAsync(IQuerySession session, Guid postId, CancellationToken ct)
    {
        var events = session.DocumentStore.Options.Events;
        return await session.AdvancedSql.QueryAsync<Guid>(
            $"select distinct stream_id from {events.DatabaseSchemaName}.mt_events where type = ? and data ->> 'PostId' = ?",
            ct, typeof(PostCommented).GetEventTypeName(events.EventNamingStyle), postId.ToString("D"));
    }
}
