using EventStore.Domain.Users;
using EventStore.Projections.Chat;
using EventStore.Projections.Community;
using EventStore.Projections.Trading;
using EventStore.Projections.Users;

namespace EventStore.Projections.Search;

/// <summary>Pure mappings from a read model's current state to its search document (null: not searchable).</summary>
public static class SearchDocuments
{
    /// <summary>
    /// Users are found by username and display name (never by e-mail or bio), by admins and by themselves. An erased user
    /// has no document: their personal data is gone from the read model, so nothing of it can be indexed again.
    /// </summary>
    public static SearchDocument? For(UserProfile? user) =>
        user is null || user.IsErased || user.Username is null
            ? null
            : new SearchDocument(SearchTypes.User, user.Id, user.DisplayName ?? user.Username, user.Username,
                [SearchReaders.Role(Roles.Admin), SearchReaders.User(user.Id)], user.UpdatedAt);

    /// <summary>Reference data: every logged-in user finds instruments.</summary>
    public static SearchDocument? For(InstrumentView? instrument, DateTimeOffset updatedAt) =>
        instrument is null
            ? null
            : new SearchDocument(SearchTypes.Instrument, instrument.Id, $"{instrument.Symbol} {instrument.Name}",
                instrument.Tradable ? instrument.Currency : $"{instrument.Currency} halted {instrument.HaltReason}".TrimEnd(),
                [SearchReaders.Public], updatedAt);

    /// <summary>Only the owner finds an order (admins too see only their own here, as with `order(id)`).</summary>
    public static SearchDocument? For(OrderView? order) =>
        order is null
            ? null
            : new SearchDocument(SearchTypes.Order, order.Id,
                $"{order.Side} {order.Quantity} {order.Symbol} {order.Type}{(order.LimitPrice is { } l ? $" {l}" : "")}".ToUpperInvariant(),
                string.Join(' ', new[] { order.ClientOrderId, order.Status.ToString(), order.TimeInForce.ToString() }.OfType<string>()),
                [SearchReaders.User(order.UserId)], order.UpdatedAt);

    /// <summary>
    /// A chat message is found by its current text (an edit replaces the old text), only by members of its room; the title
    /// is <paramref name="roomTitle"/>. A deleted (redacted) message has no document, and neither has one whose text can no
    /// longer be opened because its owner was erased: the view's text is null in both cases.
    /// </summary>
    public static SearchDocument? For(ChatMessageView? message, string roomTitle) =>
        message is null || message.Deleted || message.Text is null
            ? null
            : new SearchDocument(SearchTypes.Message, message.Id, roomTitle, message.Text, [SearchReaders.Room(message.RoomId)],
                message.EditedAt ?? message.PostedAt);

    /// <summary>
    /// A community post is found by its current text by every logged-in user; while hidden, only by its author and
    /// moderators (and admins). A deleted post, or one whose author was erased, has no document (its text is null).
    /// </summary>
    public static SearchDocument? For(PostView? post) =>
        post is null || post.Deleted || post.Text is null
            ? null
            : new SearchDocument(SearchTypes.Post, post.Id, PostTitle(post), post.Text, PostReaders(post), post.EditedAt ?? post.CreatedAt);

    /// <summary>A comment is found like its post: by everyone, or while the post is hidden only by its author and moderators.</summary>
    public static SearchDocument? For(PostCommentView? comment, PostView? post) =>
        comment is null || comment.Text is null || post is null || post.Deleted
            ? null
            : new SearchDocument(SearchTypes.Comment, comment.Id, $"Comment on {PostTitle(post)}", comment.Text, PostReaders(post),
                comment.CommentedAt);

    private static string PostTitle(PostView post) =>
        post.Symbol is null ? "Post" : $"{post.Symbol}{(post.Direction is { } d ? " " + d.ToString().ToUpperInvariant() : "")}";

    private static IReadOnlyList<string> PostReaders(PostView post) => post.Hidden
        ? [SearchReaders.User(post.AuthorId), SearchReaders.Role(Roles.Moderator), SearchReaders.Role(Roles.Admin)]
        : [SearchReaders.Public];

    /// <summary>The title of messages in a direct room, which has no name (docs/search.md says why not the author's name).</summary>
    public const string DirectRoomTitle = "Direct message";

    /// <summary>The title of messages in a room whose name can no longer be opened: its creator was erased.</summary>
    public const string UnnamedRoomTitle = "Chat room";
}
