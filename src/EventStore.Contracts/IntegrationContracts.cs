using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventStore.Contracts;

/// <summary>Every published contract, and the one JSON shape they travel in (camelCase, as the schemas describe).</summary>
public static class IntegrationContracts
{
    public static IReadOnlyList<Type> All { get; } = typeof(IntegrationEvent).Assembly.GetTypes()
        .Where(t => t is { IsAbstract: false } && t.IsSubclassOf(typeof(IntegrationEvent)))
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .ToList();

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static IntegrationEventAttribute Describe(Type contract) =>
        contract.GetCustomAttribute<IntegrationEventAttribute>()
        ?? throw new InvalidOperationException($"{contract.Name} has no [IntegrationEvent] attribute.");
}
