using EventStore.Api.Auth;
using EventStore.Api.GraphQL.PersonalFields;
using EventStore.Api.Search;
using EventStore.Projections.Search;
using GraphQL;
using GraphQL.Types;

namespace EventStore.Api.GraphQL.Search;

public sealed class SearchDocumentTypeEnum : EnumerationGraphType
{
    public SearchDocumentTypeEnum()
    {
        Name = "SearchType";
        Description = "What `search` can find.";
        Add(SearchTypes.Message, SearchTypes.Message, "Chat messages in rooms you are a member of (once the Chat module indexes them).");
        Add(SearchTypes.User, SearchTypes.User, "Users by username and display name: admins find everyone, others only themselves; never analysts.");
        Add(SearchTypes.Instrument, SearchTypes.Instrument, "Instruments by symbol and name.");
        Add(SearchTypes.Order, SearchTypes.Order, "Your own orders, by side, symbol, type, client order id and status.");
        Add(SearchTypes.Post, SearchTypes.Post, "Community posts by text; hidden posts only for their author and moderators.");
        Add(SearchTypes.Comment, SearchTypes.Comment, "Comments on community posts, found like their post.");
    }
}

public sealed class SearchHitType : ObjectGraphType<SearchHit>
{
    public SearchHitType()
    {
        Name = "SearchHit";
        Field<NonNullGraphType<SearchDocumentTypeEnum>>("type").Resolve(c => c.Source.Type);
        Field<NonNullGraphType<IdGraphType>>("id").Description("The user, instrument, order or message id.").Resolve(c => c.Source.Id);
        Field(x => x.Title).Personal(PersonalKind.Text, HitSubject);
        Field(x => x.Highlight).Description("Title and text with the matched words in <mark>…</mark>.").Personal(PersonalKind.Text, HitSubject);
        Field(x => x.Score).Description("Relevance; hits come best first. Comparable only within one search.");
        Field(x => x.UpdatedAt);
    }

    /// <summary>
    /// A user's hit is that user's; a message's, its author's (not known here, so hidden from restricted readers); an
    /// order's, the caller's own (search finds only your orders); an instrument's is nobody's.
    /// </summary>
    private static DataSubject HitSubject(IResolveFieldContext c) => c.Source is SearchHit hit
        ? hit.Type switch
        {
            SearchTypes.Instrument => DataSubject.Nobody,
            SearchTypes.User => DataSubject.Of(hit.Id),
            SearchTypes.Order => DataSubject.Of(c.User.UserId()),
            _ => DataSubject.Unknown,
        }
        : DataSubject.Unknown;
}
