using EventStore.Domain.Assistant;
using EventStore.Api.GraphQL.Hygiene;
using System.Runtime.CompilerServices;
using System.Text.Json;
using EventStore.Api.Auth;
using EventStore.Api.GraphQL.Audit;
using EventStore.Api.LiveFeed;
using EventStore.Projections.Assistant;
using GraphQL;
using GraphQL.Types;
using Marten;

namespace EventStore.Api.GraphQL.Assistant;

/// <summary>An interaction of the conversation got its outcome (answer or failure).</summary>
public sealed record AssistantReplyUpdate(long Sequence, string Event, InteractionView Interaction);

public sealed class AssistantReplyUpdateType : ObjectGraphType<AssistantReplyUpdate>
{
    public AssistantReplyUpdateType()
    {
        Name = "AssistantReplyUpdate";
        Field<NonNullGraphType<StringGraphType>>("sequence").Description("Cursor: pass as `after` to resume.")
            .Resolve(c => c.Source.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Field(x => x.Event).Description("assistant_response_received or assistant_request_failed.");
        Field<NonNullGraphType<InteractionGraphType>>("interaction").Resolve(c => c.Source.Interaction);
    }
}

public static class AssistantSubscriptions
{
    private static readonly EventLogFilter OutcomeEvents =
        EventLogFilter.OfEvents(typeof(AssistantResponseReceived), typeof(AssistantRequestFailed));

    public static void AddAssistantSubscriptions(this ObjectGraphType subscription)
    {
        subscription.Field<NonNullGraphType<AssistantReplyUpdateType>>("assistantReplies")
            .Description("The assistant's answers (and failures) in one of your conversations.")
            .Argument<NonNullGraphType<IdGraphType>>("conversationId")
            .Argument<StringGraphType>("after", a => a.SingleLine(Paging.MaxCursorLength))
            .ResolveStreamAsync(async c =>
            {
                var me = c.User.UserId()!.Value;
                var services = c.RequestServices!;
                Guid conversation;
                try
                {
                    conversation = (await AssistantQueries.ConversationAsync(services.GetRequiredService<IQuerySession>(),
                        Paging.Uuid(c, "conversationId")!.Value, me, c.CancellationToken)).Conversation.Id;
                }
                catch (Domain.NotFoundException e)
                {
                    // Subscription resolvers run outside the field middleware: the domain's NOT_FOUND is coded here.
                    throw new Errors.ApiError(Errors.ErrorCodes.NotFound, e.Message);
                }

                return LiveSubscription.Stream(c, OutcomeEvents, async (e, perEvent, ct) =>
                {
                    var interaction = await AssistantQueries.InteractionAsOfAsync(perEvent.GetRequiredService<IQuerySession>(), e.StreamId,
                        e.Version, ct);
                    return interaction is null ? null : new AssistantReplyUpdate(e.Sequence, e.Type, interaction);
                }, where: e => e.DataAs<ConversationRef>().ConversationId == conversation);
            });
    }

    private sealed record ConversationRef(Guid? ConversationId);
}

/// <summary>Picked up by convention (<see cref="RootFields"/>).</summary>
public sealed class AssistantSubscriptionRoot : ISubscriptionFields
{
    public int Order => 50;

    public void AddTo(ObjectGraphType root) => root.AddAssistantSubscriptions();
}
