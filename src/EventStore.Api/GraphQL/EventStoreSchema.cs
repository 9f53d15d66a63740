using EventStore.Api.GraphQL.Admin;
using EventStore.Api.GraphQL.Notifications;
using EventStore.Api.GraphQL.Assistant;
using EventStore.Api.GraphQL.Audit;
using EventStore.Api.GraphQL.Chat;
using EventStore.Api.GraphQL.Hygiene;
using EventStore.Api.GraphQL.Analytics;
using EventStore.Api.GraphQL.Search;
using EventStore.Api.GraphQL.Trading;
using EventStore.Api.GraphQL.Users;
using GraphQL.Types;

namespace EventStore.Api.GraphQL;

public sealed class EventStoreSchema : Schema
{
    public EventStoreSchema(IServiceProvider services, QueryType query, MutationType mutation, SubscriptionType subscription)
        : base(services)
    {
        // Same names as the built-in String and ID: they replace them, so every input string reaches resolvers in NFC.
        RegisterType(new NormalizedStringGraphType());
        RegisterType(new NormalizedIdGraphType());
        Directives.Register(new PersonalFields.PersonalDirective());
        Query = query;
        Mutation = mutation;
        Subscription = subscription;
    }
}

/// <summary>Root query: each module adds its fields.</summary>
public sealed class QueryType : ObjectGraphType
{
    public QueryType()
    {
        Name = "Query";
        this.AddUserQueries();
        this.AddTradingQueries();
        this.AddAuditQueries();
        this.AddProjectionQueries();
        this.AddNotificationQueries();
        this.AddChatQueries();
        this.AddAssistantQueries();
        this.AddSearchQueries();
        this.AddAnalyticsQueries();
    }
}

/// <summary>Root mutation: each module adds its fields.</summary>
public sealed class MutationType : ObjectGraphType
{
    public MutationType()
    {
        Name = "Mutation";
        this.AddUserMutations();
        this.AddSessionMutations();
        this.AddMfaMutations();
        this.AddProjectionMutations();
        this.AddReconciliationMutations();
        this.AddTradingMutations();
        this.AddNotificationMutations();
        this.AddChatMutations();
        this.AddAssistantMutations();
    }
}
