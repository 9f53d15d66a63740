using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EventStore.Audit;

namespace EventStore.UnitTests.Audit;

/// <summary>
/// The fast canonicalizers (over a JsonDocument's raw UTF-8, and straight off the bytes with a Utf8JsonReader) against the first implementation, on seeded random
/// documents full of the awkward cases: escapes in keys and strings, non-ASCII and surrogate pairs, repeated keys, every
/// spelling of a number. Same bytes, or the same exception, every time.
/// </summary>
public sealed class CanonicalEquivalenceTests
{
    private static readonly string[] Keys =
        ["a", "A", "b", "aa", "ab", "z", "Bid", "Ask", "_x", "é", "€", "😀", "\u0080", "\\n", "\\\"q", "\\u00e9", "\\ud83d\\ude00", "k\\/", "hash", "prevHash"];

    private static readonly string[] Strings =
        ["", "AAPL", "plain text", "é€😀", "\\\"quoted\\\"", "back\\\\slash", "\\b\\f\\n\\r\\t", "\\u001f\\u0000", "\\/", "\\u00e9", "\\ud83d\\ude00", "<>&'", "\u007f"];

    private static readonly string[] Numbers =
        ["0", "-0", "1", "-7", "10", "970", "0.35", "232.24", "10.50", "1.0", "-0.0", "0.000100", "1e3", "15E-1", "1E21", "1E20", "1E-7",
         "0.000001", "333333333.33333329", "9007199254740992", "123456789012345", "1234567890123456", "-1.5e-300", "4.50",
         "123456789012345678901234567890.123456789", "100", "1e400", "-1e400", "5e-400"];

    [Fact]
    public void the_fast_canonicalizer_writes_the_same_bytes_as_the_reference_for_random_documents()
    {
        var random = new Random(20261124);
        for (var i = 0; i < 3_000; i++)
        {
            var json = Value(random, depth: 0);
            using var document = JsonDocument.Parse(json);
            foreach (var decimalsAsStrings in new[] { false, true })
            {
                var expected = Run(() => Reference(document.RootElement, decimalsAsStrings, null, null));
                Assert.Equal(expected, Run(() => Fast(document.RootElement, decimalsAsStrings, null, null)));
                Assert.Equal(expected, Run(() => FastUtf8(json, decimalsAsStrings)));
            }

            Assert.Equal(Run(() => Reference(document.RootElement, false, "hash", "prevHash")),
                Run(() => Fast(document.RootElement, false, "hash", "prevHash")));
        }
    }

    [Fact]
    public void the_event_record_is_the_same_as_the_reference_for_random_events()
    {
        var random = new Random(7);
        for (var i = 0; i < 1_000; i++)
        {
            string? Text() => random.Next(5) == 0 ? null : JsonSerializer.Deserialize<string>("\"" + Strings[random.Next(Strings.Length)] + "\"");
            var data = random.Next(10) == 0 ? null : Object(random, 0);
            var headers = random.Next(3) == 0 ? null : Object(random, 1);
            var e = new StoredEvent(random.NextInt64(1, long.MaxValue), Guid.NewGuid().ToString(), Text() ?? "s", random.Next(), Text() ?? "t",
                "2026-01-02T03:04:05.123456Z", data, Text(), Text(), Text(), headers);

            Assert.Equal(Run(() => ReferenceRecord(e)), Run(() => AuditRecord.Canonical(e)));
        }
    }

    private static string Run(Func<byte[]> canonicalize)
    {
        try
        {
            return Convert.ToHexString(canonicalize());
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException)
        {
            return e.GetType().Name;
        }
    }

    private static byte[] Fast(JsonElement element, bool decimalsAsStrings, string? skip1, string? skip2)
    {
        var output = new ArrayBufferWriter<byte>();
        Jcs.WriteValue(output, element, decimalsAsStrings, skip1, skip2);
        return output.WrittenSpan.ToArray();
    }

    private static byte[] FastUtf8(string json, bool decimalsAsStrings)
    {
        var output = new ArrayBufferWriter<byte>();
        Jcs.WriteCanonical(output, Encoding.UTF8.GetBytes(json), decimalsAsStrings);
        return output.WrittenSpan.ToArray();
    }

    private static byte[] Reference(JsonElement element, bool decimalsAsStrings, string? skip1, string? skip2)
    {
        var output = new ArrayBufferWriter<byte>();
        ReferenceJcs.WriteValue(output, element, decimalsAsStrings, skip1, skip2);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>The record as first written: JSON texts parsed from strings, every string through the reference writer.</summary>
    private static byte[] ReferenceRecord(StoredEvent e)
    {
        var output = new ArrayBufferWriter<byte>();
        void Raw(string text) => output.Write(Encoding.UTF8.GetBytes(text));
        void Json(string? json)
        {
            if (json is null)
            {
                Raw("null");
                return;
            }

            using var document = JsonDocument.Parse(json);
            ReferenceJcs.WriteValue(output, document.RootElement, decimalsAsStrings: true);
        }

        Raw("{\"data\":");
        Json(e.DataJson);
        Raw(",\"id\":");
        ReferenceJcs.WriteString(output, e.Id);
        Raw(",\"metadata\":{\"actor\":");
        ReferenceJcs.WriteNullableString(output, e.Actor);
        Raw(",\"causationId\":");
        ReferenceJcs.WriteNullableString(output, e.CausationId);
        Raw(",\"correlationId\":");
        ReferenceJcs.WriteNullableString(output, e.CorrelationId);
        Raw(",\"headers\":");
        Json(e.HeadersJson);
        Raw("},\"sequence\":");
        ReferenceJcs.WriteInteger(output, e.Sequence);
        Raw(",\"streamId\":");
        ReferenceJcs.WriteString(output, e.StreamId);
        Raw(",\"timestamp\":");
        ReferenceJcs.WriteString(output, e.Timestamp);
        Raw(",\"type\":");
        ReferenceJcs.WriteString(output, e.Type);
        Raw(",\"version\":");
        ReferenceJcs.WriteInteger(output, e.Version);
        Raw("}");
        return output.WrittenSpan.ToArray();
    }

    private static string Value(Random random, int depth) => random.Next(depth > 3 ? 4 : 7) switch
    {
        0 => Numbers[random.Next(Numbers.Length)],
        1 => "\"" + Strings[random.Next(Strings.Length)] + "\"",
        2 => random.Next(3) switch { 0 => "true", 1 => "false", _ => "null" },
        3 => random.NextDouble().ToString("R", CultureInfo.InvariantCulture),
        4 or 5 => Object(random, depth + 1),
        _ => "[" + string.Join(", ", Enumerable.Range(0, random.Next(4)).Select(_ => Value(random, depth + 1))) + "]",
    };

    private static string Object(Random random, int depth) =>
        "{" + string.Join(", ", Enumerable.Range(0, random.Next(depth < 2 ? 40 : 6))
            .Select(_ => "\"" + Keys[random.Next(Keys.Length)] + "\": " + Value(random, depth + 1))) + "}";
}
