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
    private static readonly string[] OutcomeEvents = ["assistant_response_received", "assistant_request_failed"];
    private static readonly JsonSerializerOptions Stored = new() { PropertyNameCaseInsensitive = true };

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

                var filter = new AuditFilter(null, null, OutcomeEvents, null, null, null, null);
                var streams = services.GetRequiredService<LiveStreams>();
                var after = SubscriptionType.After(c);
                var pace = services.GetRequiredService<LiveFeed.DeliveryPace>();
                return new AsyncStreamObservable<AssistantReplyUpdate>(ct => Replies(
                    streams.StreamAsync(filter, e => OutcomeEvents.Contains(e.Type) && ConversationOf(e) == conversation, after, pace, ct),
                    services, ct));
            });
    }

    private static Guid? ConversationOf(AuditEvent e) => JsonSerializer.Deserialize<ConversationRef>(e.Data, Stored)?.ConversationId;

    private static async IAsyncEnumerable<AssistantReplyUpdate> Replies(IAsyncEnumerable<AuditEvent> source, IServiceProvider services,
        [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var e in source.WithCancellation(ct))
        {
            using var scope = services.CreateScope();
            var session = scope.ServiceProvider.GetRequiredService<IQuerySession>();
            var interaction = await AssistantQueries.InteractionAsOfAsync(session, e.StreamId, e.Version, ct);
            if (interaction is not null)
            {
                yield return new AssistantReplyUpdate(e.Sequence, e.Type, interaction);
            }
        }
    }

    private sealed record ConversationRef(Guid? ConversationId);
}
