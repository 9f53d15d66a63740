using EventStore.Api.Search;
using EventStore.Projections.Search;
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
    }
}

public sealed class SearchHitType : ObjectGraphType<SearchHit>
{
    public SearchHitType()
    {
        Name = "SearchHit";
        Field<NonNullGraphType<SearchDocumentTypeEnum>>("type").Resolve(c => c.Source.Type);
        Field<NonNullGraphType<IdGraphType>>("id").Description("The user, instrument, order or message id.").Resolve(c => c.Source.Id);
        Field(x => x.Title);
        Field(x => x.Highlight).Description("Title and text with the matched words in <mark>…</mark>.");
        Field(x => x.Score).Description("Relevance; hits come best first. Comparable only within one search.");
        Field(x => x.UpdatedAt);
    }
}
