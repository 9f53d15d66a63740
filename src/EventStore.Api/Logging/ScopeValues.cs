using System.Collections;
using System.Globalization;

namespace EventStore.Api.Logging;

/// <summary>
/// A log scope given as a plain dictionary (Wolverine's message scope, our GraphQL operation scope), shown as its
/// key=value pairs. The simple console formatter prints a scope with ToString, and a dictionary's is its type name
/// (`System.Collections.Generic.Dictionary`2[...]`); the JSON formatter and OpenTelemetry read the pairs, as before.
/// </summary>
public sealed class ScopeValues : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly KeyValuePair<string, object?>[] _pairs;

    private ScopeValues(IEnumerable<KeyValuePair<string, object?>> pairs) => _pairs = [.. pairs];

    public int Count => _pairs.Length;

    public KeyValuePair<string, object?> this[int index] => _pairs[index];

    /// <summary>
    /// The scope to pass on: a key/value collection that does not print itself (its type keeps object.ToString) becomes
    /// a <see cref="ScopeValues"/>; anything else, the message templates' own scopes included, is passed on unchanged.
    /// </summary>
    public static object Of<TState>(TState state) where TState : notnull =>
        state is IEnumerable<KeyValuePair<string, object?>> pairs and not ScopeValues
            && state.GetType().GetMethod(nameof(ToString), Type.EmptyTypes)?.DeclaringType == typeof(object)
            ? new ScopeValues(pairs)
            : state;

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_pairs).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() =>
        string.Join(", ", _pairs.Select(p => p.Key + "=" + Convert.ToString(p.Value, CultureInfo.InvariantCulture)));
}
