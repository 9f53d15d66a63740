using EventStore.Api.GraphQL.Hygiene;
using GraphQL;
using GraphQL.Types;

namespace EventStore.Api.GraphQL;

public sealed class EventStoreSchema : Schema
{
    public EventStoreSchema(IServiceProvider services, QueryType query, MutationType mutation, SubscriptionType subscription)
        : base(services)
    {
        // The October 2021 spec's introspection: `isRepeatable` on directives, `includeDeprecated` on arguments and input
        // fields (what graphql-js `getIntrospectionQuery` asks with its options on); set before the schema initializes.
        Features.RepeatableDirectives = true;
        Features.DeprecationOfInputValues = true;
        // Same names as the built-in String and ID: they replace them, so every input string reaches resolvers in NFC.
        RegisterType(new NormalizedStringGraphType());
        RegisterType(new NormalizedIdGraphType());
        Directives.Register(new PersonalFields.PersonalDirective());
        Query = query;
        Mutation = mutation;
        Subscription = subscription;
    }

    /// <summary>
    /// Two introspection fields of the October 2021 spec GraphQL.NET 8 lacks, added here so the standard introspection
    /// queries validate: `__Type.specifiedByURL` (from a scalar's <see cref="SpecifiedByUrlKey"/> metadata; none of ours
    /// has one) and the `includeDeprecated` argument of `__Directive.args`.
    /// </summary>
    protected override void OnBeforeInitializeType(IGraphType graphType)
    {
        if (graphType is global::GraphQL.Introspection.__Type type && !type.HasField("specifiedByURL"))
        {
            type.Field<StringGraphType>("specifiedByURL")
                .Description("A URL to the specification of a custom scalar's behaviour, if it has one.")
                .Resolve(context => context.Source is ScalarGraphType scalar ? scalar.GetMetadata<string?>(SpecifiedByUrlKey) : null);
        }

        if (graphType is global::GraphQL.Introspection.__Directive directive && directive.GetField("args") is { } args
            && args.Arguments?.Find("includeDeprecated") is null)
        {
            args.Arguments = new QueryArguments(new QueryArgument<BooleanGraphType> { Name = "includeDeprecated", DefaultValue = false });
            args.Resolver = new global::GraphQL.Resolvers.FuncFieldResolver<object>(context =>
            {
                var all = (IEnumerable<QueryArgument>?)(context.Source as global::GraphQL.Types.Directive)?.Arguments ?? [];
                return context.GetArgument("includeDeprecated", false)
                    ? all
                    : all.Where(a => string.IsNullOrWhiteSpace(a.DeprecationReason)).ToList();
            });
        }

        base.OnBeforeInitializeType(graphType);
    }

    /// <summary>Metadata key on a scalar for its `specifiedByURL`.</summary>
    public const string SpecifiedByUrlKey = "specifiedByURL";
}

/// <summary>Root query: every module's <see cref="IQueryFields"/>, found by convention.</summary>
public sealed class QueryType : ObjectGraphType
{
    public QueryType()
    {
        Name = "Query";
        RootFields.AddAll<IQueryFields>(this);
    }
}

/// <summary>Root mutation: every module's <see cref="IMutationFields"/>, found by convention.</summary>
public sealed class MutationType : ObjectGraphType
{
    public MutationType()
    {
        Name = "Mutation";
        RootFields.AddAll<IMutationFields>(this);
    }
}
