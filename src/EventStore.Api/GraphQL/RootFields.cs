using GraphQL.Types;

namespace EventStore.Api.GraphQL;

/// <summary>
/// A module's fields on one of the three root types. Every class implementing <see cref="IQueryFields"/>,
/// <see cref="IMutationFields"/> or <see cref="ISubscriptionFields"/> in this assembly is picked up by convention
/// (<see cref="RootFields.AddAll{T}"/>): a new module adds its fields without touching the schema class. Input, payload
/// and object types are picked up the same way (GraphQLSetup registers every graph type of the assembly).
/// </summary>
public interface IRootFields
{
    /// <summary>Where the module's fields go among the root's fields: the printed schema (schemas/) keeps this order.</summary>
    int Order { get; }

    void AddTo(ObjectGraphType root);
}

public interface IQueryFields : IRootFields;

public interface IMutationFields : IRootFields;

public interface ISubscriptionFields : IRootFields;

public static class RootFields
{
    /// <summary>Adds the fields of every <typeparamref name="T"/> in the assembly to <paramref name="root"/>, by Order then name.</summary>
    public static void AddAll<T>(ObjectGraphType root)
        where T : IRootFields
    {
        var modules = typeof(RootFields).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(T).IsAssignableFrom(t))
            .Select(t => (T)Activator.CreateInstance(t)!)
            .OrderBy(m => m.Order).ThenBy(m => m.GetType().FullName, StringComparer.Ordinal);
        foreach (var module in modules)
        {
            module.AddTo(root);
        }
    }
}
