using EventStore.Api.GraphQL.Errors;
using EventStore.Api.GraphQL.Hygiene;
using EventStore.Api.Search;
using EventStore.Domain;
using EventStore.Domain.Users;
using EventStore.Projections.Search;
using GraphQL;
using GraphQL.Types;
using GraphQL.Types.Relay;

namespace EventStore.Api.GraphQL.Search;

public static class SearchQueryFields
{
    public const int MaxQueryLength = 200;

    public static void AddSearchQueries(this ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ConnectionType<SearchHitType, EdgeType<SearchHitType>>>>("search")
            .Description("Full-text search, best match first. Every word must match, as a prefix (\"appl inc\" finds \"Apple Inc.\"). "
                + "You find only what you may see: your own orders, instruments, messages of the rooms you are a member of, and users only if "
                + "you are an admin.")
            .Argument<NonNullGraphType<StringGraphType>>("query", $"The words to find (1 to {MaxQueryLength} characters).",
                a => a.SingleLine(MaxQueryLength))
            .Argument<ListGraphType<NonNullGraphType<SearchDocumentTypeEnum>>>("types", "Only these types (default: all you may search).")
            .Argument<IntGraphType>("first", "Page size, 0 to 100 (default 20).")
            .Argument<StringGraphType>("after", "Cursor of the last edge already seen.", a => a.SingleLine(Paging.MaxCursorLength))
            .ResolveAsync(async c =>
            {
                var services = c.RequestServices!;
                var request = new SearchRequest(Text(c.GetArgument<string>("query")), Types(c),
                    await services.GetRequiredService<SearchAudience>().KeysAsync(c.User!, c.CancellationToken),
                    Paging.PageSize(c.GetArgument<int?>("first")), After(c.GetArgument<string?>("after")));
                var page = await services.GetRequiredService<ISearchBackend>().SearchAsync(request, c.CancellationToken);
                return Paging.Connection(page.Hits, x => Paging.EncodeCursor(x.Position.Encode()), page.HasNextPage,
                    c.GetArgument<string?>("after"));
            });
    }

    private static string Text(string raw)
    {
        var text = raw.Trim();
        return text.Length is 0 or > MaxQueryLength || SearchText.Split(text).Length == 0
            ? throw new ApiError(ErrorCodes.Validation, $"'query' must hold at least one word and at most {MaxQueryLength} characters.",
                new Dictionary<string, object?> { ["field"] = "query" })
            : text;
    }

    /// <summary>The types whose documents are personal data: users' names, and chat text sealed under its author's key.</summary>
    private static readonly string[] PersonalTypes = [SearchTypes.User, SearchTypes.Message, SearchTypes.Post, SearchTypes.Comment];

    /// <summary>
    /// Analysts work on pseudonymous data only: asking for USER or MESSAGE is refused, and the default leaves both out.
    /// Everyone else may ask for any type; visibility keys then decide which documents they see.
    /// </summary>
    private static IReadOnlyList<string> Types(IResolveFieldContext c)
    {
        var analyst = c.User!.IsInRole(Roles.Analyst) && !c.User.IsInRole(Roles.Admin);
        var requested = c.GetArgument<List<string>?>("types");
        if (analyst && requested?.Intersect(PersonalTypes).Any() == true)
        {
            throw new ForbiddenException("Analysts work on pseudonymous data and cannot search users or chat messages.");
        }

        return requested is { Count: > 0 }
            ? [.. requested.Distinct()]
            : [.. SearchTypes.All.Where(t => !(analyst && PersonalTypes.Contains(t)))];
    }

    private static SearchPosition? After(string? cursor) =>
        Paging.DecodeCursor(cursor) is not { } key
            ? null
            : SearchPosition.Decode(key) ?? throw new ApiError(ErrorCodes.Validation, "The cursor is not valid.",
                new Dictionary<string, object?> { ["field"] = "after" });
}

/// <summary>Picked up by convention (<see cref="RootFields"/>).</summary>
public sealed class SearchQueryRoot : IQueryFields
{
    public int Order => 100;

    public void AddTo(ObjectGraphType root) => root.AddSearchQueries();
}
