using EventStore.Api.GraphQL.Hygiene;
using EventStore.Domain.Trading.Instruments;
using GraphQL;
using GraphQL.Types;
using GraphQL.Types.Relay;
using EventStore.Api.Auth;
using EventStore.Domain.Users;
using Marten;
using static EventStore.Api.GraphQL.Community.CommunityCaller;
using static EventStore.Projections.Community.CommunityQueries;

namespace EventStore.Api.GraphQL.Community;

public static class CommunityQueryFields
{
    public static void AddCommunityQueries(this ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ConnectionType<PostGraphType, EdgeType<PostGraphType>>>>("feed")
            .Description("Posts of the people you follow and your own, newest first. Deleted posts are left out; hidden ones too " +
                "(except your own, and for moderators).")
            .Argument<IntGraphType>("first", "Page size, 0 to 100 (default 20).")
            .Argument<StringGraphType>("after", "Cursor of the last edge already seen.", a => a.SingleLine(Paging.MaxCursorLength))
            .ResolveAsync(async c =>
            {
                var after = c.GetArgument<string?>("after");
                var (items, hasNext) = await FeedAsync(Session(c), Me(c), IsModerator(c), Paging.PageSize(c.GetArgument<int?>("first")),
                    KeysetCursor.DecodeOrNull(after), c.CancellationToken);
                return Paging.Connection(items, p => KeysetCursor.Encode(p.CreatedAt, p.Id), hasNext, after);
            });

        query.Field<NonNullGraphType<ConnectionType<PostGraphType, EdgeType<PostGraphType>>>>("posts")
            .Description("Posts by an author and/or on a symbol, newest first; the same rules as `feed` for deleted and hidden posts.")
            .Argument<IdGraphType>("authorId")
            .Argument<StringGraphType>("symbol", a => a.SingleLine(InstrumentRules.SymbolMaxLength))
            .Argument<IntGraphType>("first", "Page size, 0 to 100 (default 20).")
            .Argument<StringGraphType>("after", "Cursor of the last edge already seen.", a => a.SingleLine(Paging.MaxCursorLength))
            .ResolveAsync(async c =>
            {
                var after = c.GetArgument<string?>("after");
                var (items, hasNext) = await PostsAsync(Session(c), Paging.Uuid(c, "authorId"), c.GetArgument<string?>("symbol"), Me(c),
                    IsModerator(c), Paging.PageSize(c.GetArgument<int?>("first")), KeysetCursor.DecodeOrNull(after), c.CancellationToken);
                return Paging.Connection(items, p => KeysetCursor.Encode(p.CreatedAt, p.Id), hasNext, after);
            });

        query.Field<NonNullGraphType<PostGraphType>>("post")
            .Description("A post with its comments. NOT_FOUND for a hidden post unless you wrote it or moderate; a deleted one is redacted.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => await PostAsync(Session(c), Paging.Uuid(c, "id")!.Value, Me(c), IsModerator(c), live: false,
                c.CancellationToken));
    }
}

/// <summary>The caller as the Community fields see it, and the request's query session.</summary>
public static class CommunityCaller
{
    public static IQuerySession Session(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<IQuerySession>();

    public static Guid Me(IResolveFieldContext c) => c.User.UserId()!.Value;

    /// <summary>Moderators and admins see hidden posts and moderate.</summary>
    public static bool IsModerator(IResolveFieldContext c) =>
        c.User is { } user && (user.IsInRole(Roles.Moderator) || user.IsInRole(Roles.Admin));
}

/// <summary>Picked up by convention (<see cref="RootFields"/>).</summary>
public sealed class CommunityQueryRoot : IQueryFields
{
    public int Order => 80;

    public void AddTo(ObjectGraphType root) => root.AddCommunityQueries();
}
