using StoreOptions = Marten.StoreOptions;

namespace EventStore.Domain.Assistant;

public static class AssistantModule
{
    /// <summary>
    /// Every event type of the module. Async projections over the module's streams filter on this list, so their
    /// shards never load, deserialize or slice another module's events, while every event of their own streams
    /// still reaches them (a view's version stays the stream's version).
    /// </summary>
    public static readonly Type[] EventTypes =
    [
        typeof(AssistantConversationStarted), typeof(AssistantPromptSubmitted), typeof(AssistantToolInvoked),
        typeof(AssistantResponseReceived), typeof(AssistantRequestFailed),
    ];

    public static StoreOptions ConfigureAssistant(this StoreOptions options)
    {
        options.Events.AddEventTypes(EventTypes);
        return options;
    }
}
