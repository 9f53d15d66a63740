using StoreOptions = Marten.StoreOptions;

namespace EventStore.Domain.Assistant;

public static class AssistantModule
{
    public static StoreOptions ConfigureAssistant(this StoreOptions options)
    {
        options.Events.AddEventTypes([
            typeof(AssistantConversationStarted), typeof(AssistantPromptSubmitted), typeof(AssistantToolInvoked),
            typeof(AssistantResponseReceived), typeof(AssistantRequestFailed),
        ]);
        return options;
    }
}
