namespace EventStore.Contracts;

/// <summary>
/// Base of every integration event: a public, versioned fact for other services, distinct from the domain event it was
/// derived from. Personal data never leaves in clear: ids, not names or e-mail addresses. Once published, a contract
/// changes only by adding optional fields; anything else is a new version (a new type and schema, e.g. `.v2`).
/// </summary>
public abstract record IntegrationEvent
{
    /// <summary>
    /// The identity consumers deduplicate by, stable across redeliveries: the id of the domain event it was derived
    /// from, or, when one domain event yields several messages (a mention per user), a name-based id derived from it.
    /// </summary>
    public Guid EventId { get; init; }

    /// <summary>The domain event's global sequence in the event store: orders events across streams.</summary>
    public long Sequence { get; init; }

    /// <summary>The correlation id of the request that caused it (the GraphQL operation, a pump tick, ...).</summary>
    public string? CorrelationId { get; init; }

    /// <summary>When the domain event was stored.</summary>
    public DateTimeOffset OccurredAt { get; init; }
}

/// <summary>
/// Names a contract on the wire: <c>{module}.{name}.v{version}</c> is the Kafka `message-type` header, the schema file
/// name under `schemas/events/`, and the module picks the topic.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class IntegrationEventAttribute(string module, string name, int version) : Attribute
{
    public string Module { get; } = module;

    public string Name { get; } = name;

    public int Version { get; } = version;

    public string TypeName => $"{Module}.{Name}.v{Version}";
}

/// <summary>The modules that publish integration events; each has its own topic.</summary>
public static class IntegrationModules
{
    public const string Users = "users";
    public const string Trading = "trading";
    public const string Chat = "chat";
    public const string Assistant = "assistant";
    public const string Compliance = "compliance";
    public const string Community = "community";

    public static readonly IReadOnlyList<string> All = [Users, Trading, Chat, Assistant, Compliance, Community];
}
