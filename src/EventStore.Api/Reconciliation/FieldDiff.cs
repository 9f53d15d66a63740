using System.Globalization;
using System.Text.Json;

namespace EventStore.Api.Reconciliation;

/// <summary>One differing field: its path and both values as JSON text (null: absent).</summary>
internal readonly record struct FieldDifference(string Field, string? Expected, string? Actual);

/// <summary>
/// Compares a stored document with the expected one, as JSON, property by property. Numbers compare by value
/// (`100.0` equals `100`: PostgreSQL's jsonb and the serializer may write a decimal's scale differently), strings
/// exactly, and an absent property equals `null`. Each top-level property that differs gives one difference, at the
/// first differing place inside it (`History[2].Status`), so one changed value is one line however deep it sits.
/// </summary>
internal static class FieldDiff
{
    public const int MaxValueLength = 256;

    public static IEnumerable<FieldDifference> Compare(JsonElement expected, JsonElement actual)
    {
        foreach (var name in Names(expected, actual))
        {
            if (First(Property(expected, name), Property(actual, name), name) is { } difference)
            {
                yield return difference;
            }
        }
    }

    /// <summary>A duplicated column against the document member it copies.</summary>
    public static FieldDifference? CompareColumn(string column, object? expected, object? actual)
    {
        var (e, a) = (Canonical(expected), Canonical(actual));
        return string.Equals(e, a, StringComparison.Ordinal) ? null : new FieldDifference(column, Quote(e), Quote(a));
    }

    public static string Shorten(string text) => text.Length <= MaxValueLength ? text : string.Concat(text.AsSpan(0, MaxValueLength - 1), "…");

    private static FieldDifference? First(JsonElement? expected, JsonElement? actual, string path)
    {
        var e = expected is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } ? expected : null;
        var a = actual is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } ? actual : null;
        if (e is null || a is null)
        {
            return e is null && a is null ? null : new FieldDifference(path, Text(e), Text(a));
        }

        var (x, y) = (e.Value, a.Value);
        if (x.ValueKind != y.ValueKind)
        {
            return new FieldDifference(path, Text(x), Text(y));
        }

        switch (x.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var name in Names(x, y))
                {
                    if (First(Property(x, name), Property(y, name), $"{path}.{name}") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var (left, right) = (x.GetArrayLength(), y.GetArrayLength());
                for (var i = 0; i < Math.Max(left, right); i++)
                {
                    if (First(i < left ? x[i] : null, i < right ? y[i] : null, $"{path}[{i}]") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.Number:
                var same = x.TryGetDecimal(out var m) && y.TryGetDecimal(out var n)
                    ? m == n
                    : string.Equals(x.GetRawText(), y.GetRawText(), StringComparison.Ordinal);
                return same ? null : new FieldDifference(path, Text(x), Text(y));
            case JsonValueKind.String:
                return string.Equals(x.GetString(), y.GetString(), StringComparison.Ordinal) ? null : new FieldDifference(path, Text(x), Text(y));
            default:
                return null; // true, false: same kind, same value
        }
    }

    private static List<string> Names(JsonElement expected, JsonElement actual)
    {
        var names = expected.ValueKind == JsonValueKind.Object ? expected.EnumerateObject().Select(p => p.Name).ToList() : [];
        if (actual.ValueKind == JsonValueKind.Object)
        {
            names.AddRange(actual.EnumerateObject().Select(p => p.Name).Where(n => !names.Contains(n, StringComparer.Ordinal)));
        }

        return names;
    }

    private static JsonElement? Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : null;

    private static string? Text(JsonElement? element) => element is { } e ? Shorten(e.GetRawText()) : null;

    private static string? Quote(string? value) => value is null ? null : JsonSerializer.Serialize(value);

    /// <summary>
    /// A column value in one spelling for both sides: PostgreSQL keeps timestamps to the microsecond (the document to
    /// the tick), and returns uuid, timestamptz and numeric as its own CLR types.
    /// </summary>
    private static string? Canonical(object? value) => value switch
    {
        null or DBNull => null,
        Guid g => g.ToString("D"),
        DateTimeOffset d => Microseconds(d.UtcDateTime),
        DateTime d => Microseconds(d.Kind == DateTimeKind.Local ? d.ToUniversalTime() : d),
        decimal m => (m / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture),
        Enum e => e.ToString(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static string Microseconds(DateTime utc) =>
        new DateTime(utc.Ticks - (utc.Ticks % 10), DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture);
}
