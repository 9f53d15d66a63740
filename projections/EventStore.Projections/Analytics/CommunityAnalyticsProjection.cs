using EventStore.Domain.Community;
using JasperFx.Events;
using Marten;
using static EventStore.Projections.Analytics.AnalyticsTables;

namespace EventStore.Projections.Analytics;

/// <summary>
/// Async projection that fills the community tables of the `analytics` schema: one fact per post, comment, like and
/// unlike (insert-if-absent, keyed by pseudonyms), then the touched (day, symbol) rows of `community_daily` recomputed
/// from the facts. A comment or like counts under its post's symbol, read from the post's first event (a post's
/// symbol never changes). Only ids, enums and timestamps: never the text (docs/analytics.md).
/// </summary>
public sealed class CommunityAnalyticsProjection(AnalyticsPseudonyms pseudonyms)
    : AnalyticsProjection(ProjectionName, pseudonyms,
        [typeof(PostCreated), typeof(PostCommented), typeof(PostLiked), typeof(PostUnliked)], CommunityTables)
{
    public const string ProjectionName = "CommunityAnalytics";

    /// <summary>The symbol column of posts without one.</summary>
    public const string NoSymbol = "";

    public override async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var touched = new HashSet<(DateOnly Day, string Symbol)>();
        var symbols = new Dictionary<Guid, string>();
        foreach (var e in events)
        {
            switch (e.Data)
            {
                case PostCreated post:
                    var symbol = post.Symbol ?? NoSymbol;
                    symbols[post.PostId] = symbol;
                    var day = TradingAnalyticsProjection.Day(post.CreatedAt);
                    operations.QueueSqlCommand(
                        $"""
                        insert into {CommunityPosts} (post_key, day, symbol, author, direction, horizon)
                        values (?, ?, ?, ?, ?, ?) on conflict do nothing
                        """,
                        Pseudonyms.Post(post.PostId), day, symbol, Pseudonyms.Trader(post.AuthorId), (object?)post.Direction?.ToString() ?? DBNull.Value,
                        (object?)post.Horizon?.ToString() ?? DBNull.Value);
                    touched.Add((day, symbol));
                    break;
                case PostCommented comment:
                    var commentSymbol = await SymbolAsync(operations, symbols, comment.PostId, cancellation);
                    var commentDay = TradingAnalyticsProjection.Day(comment.CommentedAt);
                    operations.QueueSqlCommand(
                        $"""
                        insert into {CommunityComments} (comment_key, post_key, day, symbol, author)
                        values (?, ?, ?, ?, ?) on conflict do nothing
                        """,
                        Pseudonyms.Comment(comment.CommentId), Pseudonyms.Post(comment.PostId), commentDay, commentSymbol,
                        Pseudonyms.Trader(comment.AuthorId));
                    touched.Add((commentDay, commentSymbol));
                    break;
                case PostLiked liked:
                    touched.Add(await LikeAsync(operations, symbols, e.Id, liked.PostId, liked.UserId, liked.LikedAt, 1, cancellation));
                    break;
                case PostUnliked unliked:
                    touched.Add(await LikeAsync(operations, symbols, e.Id, unliked.PostId, unliked.UserId, unliked.UnlikedAt, -1, cancellation));
                    break;
            }
        }

        if (touched.Count > 0)
        {
            var ordered = touched.OrderBy(t => t.Day).ThenBy(t => t.Symbol, StringComparer.Ordinal).ToList();
            operations.QueueSqlCommand(RecomputeDaily, ordered.Select(t => t.Day).ToArray(), ordered.Select(t => t.Symbol).ToArray());
        }
    }

    private async Task<(DateOnly, string)> LikeAsync(IDocumentOperations operations, Dictionary<Guid, string> symbols, Guid eventId,
        Guid postId, Guid userId, DateTimeOffset at, int delta, CancellationToken ct)
    {
        var symbol = await SymbolAsync(operations, symbols, postId, ct);
        var day = TradingAnalyticsProjection.Day(at);
        operations.QueueSqlCommand(
            $"insert into {CommunityLikes} (like_key, post_key, day, symbol, liker, delta) values (?, ?, ?, ?, ?, ?) on conflict do nothing",
            Pseudonyms.LikeEvent(eventId), Pseudonyms.Post(postId), day, symbol, Pseudonyms.Trader(userId), delta);
        return (day, symbol);
    }

    private static async Task<string> SymbolAsync(IQuerySession session, Dictionary<Guid, string> symbols, Guid postId, CancellationToken ct)
    {
        if (!symbols.TryGetValue(postId, out var symbol))
        {
            var first = await session.Events.FetchStreamAsync(postId, version: 1, token: ct);
            symbol = first.Select(e => e.Data).OfType<PostCreated>().FirstOrDefault()?.Symbol ?? NoSymbol;
            symbols[postId] = symbol;
        }

        return symbol;
    }

    /// <summary>The given (day, symbol) rows, recomputed from the facts (idempotent; rows with no fact left stay at zero).</summary>
    private const string RecomputeDaily = $"""
        insert into {CommunityDaily} (day, symbol, posts, comments, likes, unlikes, authors)
        select t.day, t.symbol,
          (select count(*) from {CommunityPosts} p where p.day = t.day and p.symbol = t.symbol),
          (select count(*) from {CommunityComments} c where c.day = t.day and c.symbol = t.symbol),
          (select count(*) from {CommunityLikes} l where l.day = t.day and l.symbol = t.symbol and l.delta > 0),
          (select count(*) from {CommunityLikes} l where l.day = t.day and l.symbol = t.symbol and l.delta < 0),
          (select count(distinct a.author) from (
             select author from {CommunityPosts} p where p.day = t.day and p.symbol = t.symbol
             union all select author from {CommunityComments} c where c.day = t.day and c.symbol = t.symbol) a)
        from unnest(?::date[], ?::text[]) as t(day, symbol)
        on conflict (day, symbol) do update set posts = excluded.posts, comments = excluded.comments, likes = excluded.likes,
          unlikes = excluded.unlikes, authors = excluded.authors
        """;
}
