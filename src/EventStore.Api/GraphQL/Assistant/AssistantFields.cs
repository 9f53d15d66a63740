using EventStore.Api.Assistant;
using EventStore.Api.Auth;
using EventStore.Api.GraphQL.Errors;
using EventStore.Domain;
using EventStore.Domain.Users;
using EventStore.Projections.Assistant;
using GraphQL;
using GraphQL.Types;
using Marten;
using Wolverine;

namespace EventStore.Api.GraphQL.Assistant;

/// <summary>The assistant's queries and its mutation. A conversation is its owner's alone: anyone else gets NOT_FOUND.</summary>
public static class AssistantFields
{
    public static void AddAssistantQueries(this ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ConversationGraphType>>>>("conversations")
            .Description("Your assistant conversations, newest first (at most 100).")
            .ResolveAsync(async c =>
            {
                return await AssistantQueries.ConversationsAsync(Session(c), c.User.UserId()!.Value, Paging.MaxPageSize, c.CancellationToken);
            });

        query.Field<NonNullGraphType<ConversationGraphType>>("conversation")
            .Description("One of your conversations with its interactions.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => await AssistantQueries.ConversationAsync(Session(c), Paging.Uuid(c, "id")!.Value, c.User.UserId()!.Value, c.CancellationToken));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<AssistantUsageType>>>>("myAssistantUsage")
            .Description("Your AI usage per model and day, newest day first (last 100 rows).")
            .ResolveAsync(async c =>
            {
                return await AssistantQueries.UsageOfAsync(Session(c), c.User.UserId()!.Value, Paging.MaxPageSize, c.CancellationToken);
            });

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<AssistantUsageType>>>>("assistantUsageByModel")
            .Description("Analysts and admins: AI usage per model and day across users, newest day first (last 100 rows).")
            .AuthorizeWithRoles(Roles.Analyst, Roles.Admin)
            .ResolveAsync(async c => await AssistantQueries.UsageByModelAsync(Session(c), Paging.MaxPageSize, c.CancellationToken));
    }

    public static void AddAssistantMutations(this ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<AskAssistantPayloadType>>("askAssistant")
            .Description("Asks the assistant (a new conversation without conversationId). If the provider fails, the answer " +
                "says the assistant is unavailable (status FAILED); every interaction is recorded either way.")
            .Argument<NonNullGraphType<AskAssistantInputType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<AskAssistantInput>("input");
                var me = c.User.UserId()!.Value;
                var services = c.RequestServices!;
                Guid interactionId, conversationId;
                try
                {
                    (interactionId, conversationId) = await services.GetRequiredService<AssistantRunner>().AskAsync(
                        services.GetRequiredService<IMessageBus>(), me, input.ConversationId, input.Prompt, c.CancellationToken);
                }
                catch (AssistantRateLimitedException e)
                {
                    throw new ApiError(ErrorCodes.RateLimited, e.Message);
                }

                var session = Session(c);
                var interaction = await AssistantQueries.InteractionAsync(session, interactionId, c.CancellationToken)
                    ?? throw new NotFoundException("Interaction not found.");
                var conversation = await AssistantQueries.ConversationAsync(session, conversationId, me, c.CancellationToken);
                return new AskAssistantPayload(conversation, interaction);
            });
    }

    public static IQuerySession Session(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<IQuerySession>();
}

/// <summary>Picked up by convention (<see cref="RootFields"/>).</summary>
public sealed class AssistantQueryRoot : IQueryFields
{
    public int Order => 90;

    public void AddTo(ObjectGraphType root) => root.AddAssistantQueries();
}

/// <summary>Picked up by convention (<see cref="RootFields"/>).</summary>
public sealed class AssistantMutationRoot : IMutationFields
{
    public int Order => 80;

    public void AddTo(ObjectGraphType root) => root.AddAssistantMutations();
}
