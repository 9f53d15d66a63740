using EventStore.Domain.Privacy;
using JasperFx.Events.Projections;
using Marten;

namespace EventStore.Projections.Assistant;

public static class AssistantProjections
{
    public static StoreOptions ConfigureAssistantProjections(this StoreOptions options, PersonalDataProtector protector)
    {
        options.Projections.Add(new InteractionViewProjection(protector), ProjectionLifecycle.Async);
        options.Projections.Add<AssistantErasureProjection>(ProjectionLifecycle.Async);
        options.Projections.Add<ConversationViewProjection>(ProjectionLifecycle.Async);
        options.Projections.Add<UserAssistantUsageProjection>(ProjectionLifecycle.Async);
        options.Projections.Add<ModelAssistantUsageProjection>(ProjectionLifecycle.Async);
        options.Schema.For<InteractionView>().Duplicate(x => x.UserId).Duplicate(x => x.ConversationId!).Duplicate(x => x.SubmittedAt);
        options.Schema.For<ConversationView>().Duplicate(x => x.UserId);
        options.Schema.For<UserAssistantUsage>().Duplicate(x => x.UserId).Duplicate(x => x.Day);
        options.Schema.For<ModelAssistantUsage>().Duplicate(x => x.Day);
        return options;
    }
}
