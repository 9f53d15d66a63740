namespace EventStore.Domain.Auditing;

/// <summary>
/// The actor recorded on events from a message that no person sends (the simulated broker, the market-data pump,
/// start-up seeding). Messages sent on behalf of a logged-in user carry that user instead.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ActorAttribute(string actor) : Attribute
{
    public string Actor { get; } = actor;
}

/// <summary>The actor identities of the platform's system components.</summary>
public static class SystemActors
{
    public const string Broker = "system:broker";
    public const string MarketData = "system:market-data";
    public const string Bootstrap = "system:bootstrap";
    public const string Integration = "system:integration";
    public const string Assistant = "system:assistant";
    public const string Unknown = "system:unknown";

    public static string User(Guid userId) => $"user:{userId}";
}
