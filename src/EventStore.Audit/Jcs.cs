using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace EventStore.Audit;

/// <summary>
/// RFC 8785 (JSON Canonicalization Scheme) writer: object keys sorted by UTF-16 code units, no whitespace, strings escaped
/// as ECMAScript's JSON.stringify does, numbers in ECMAScript form. With <c>decimalsAsStrings</c> every number becomes a
/// string holding its exact decimal value (<see cref="DecimalText"/>): money never passes through a binary double.
/// </summary>
/// <remarks>
/// The export and the verifier run this for every event, so it works on the document's raw UTF-8 and allocates nothing in
/// the common case: a string or key with no escape in its source is already in canonical form (valid UTF-8 with no quote,
/// backslash or control character), and so is a number already in its shortest form. Anything else takes the general path.
/// </remarks>
public static partial class Jcs
{
    private const int StackSortLimit = 32;

    public static byte[] Canonicalize(JsonElement element, bool decimalsAsStrings = false)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteValue(buffer, element, decimalsAsStrings);
        return buffer.WrittenSpan.ToArray();
    }

    public static void WriteValue(IBufferWriter<byte> output, JsonElement element, bool decimalsAsStrings, string? skipTopLevelKey1 = null,
        string? skipTopLevelKey2 = null)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(output, element, decimalsAsStrings, skipTopLevelKey1, skipTopLevelKey2);
                break;
            case JsonValueKind.Array:
                WriteRaw(output, "["u8);
                var first = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!first)
                    {
                        WriteRaw(output, ","u8);
                    }

                    first = false;
                    WriteValue(output, item, decimalsAsStrings);
                }

                WriteRaw(output, "]"u8);
                break;
            case JsonValueKind.String:
                var raw = JsonMarshal.GetRawUtf8Value(element); // with its quotes
                if (raw.IndexOf((byte)'\\') < 0)
                {
                    output.Write(raw);
                }
                else
                {
                    WriteString(output, element.GetString()!);
                }

                break;
            case JsonValueKind.Number:
                WriteNumber(output, element, decimalsAsStrings);
                break;
            case JsonValueKind.True:
                WriteRaw(output, "true"u8);
                break;
            case JsonValueKind.False:
                WriteRaw(output, "false"u8);
                break;
            default:
                WriteRaw(output, "null"u8);
                break;
        }
    }

    private static void WriteObject(IBufferWriter<byte> output, JsonElement element, bool decimalsAsStrings, string? skip1, string? skip2)
    {
        var count = element.GetPropertyCount();
        var rented = count > StackSortLimit ? ArrayPool<JsonProperty>.Shared.Rent(count) : null;
        var properties = rented is null ? new PropertyBuffer() : default;
        var span = rented is null ? ((Span<JsonProperty>)properties)[..count] : rented.AsSpan(0, count);
        var kept = 0;
        foreach (var property in element.EnumerateObject())
        {
            if ((skip1 is null || !property.NameEquals(skip1)) && (skip2 is null || !property.NameEquals(skip2)))
            {
                span[kept++] = property;
            }
        }

        span = span[..kept];
        // Insertion sort: stable (a repeated key keeps its place, as the verifier always did) and fast for event-sized objects.
        for (var i = 1; i < span.Length; i++)
        {
            var current = span[i];
            var j = i - 1;
            while (j >= 0 && CompareNames(span[j], current) > 0)
            {
                span[j + 1] = span[j];
                j--;
            }

            span[j + 1] = current;
        }

        WriteRaw(output, "{"u8);
        for (var i = 0; i < span.Length; i++)
        {
            if (i > 0)
            {
                WriteRaw(output, ","u8);
            }

            var name = JsonMarshal.GetRawUtf8PropertyName(span[i]);
            if (name.IndexOf((byte)'\\') < 0)
            {
                WriteRaw(output, "\""u8);
                output.Write(name);
                WriteRaw(output, "\""u8);
            }
            else
            {
                WriteString(output, span[i].Name);
            }

            WriteRaw(output, ":"u8);
            WriteValue(output, span[i].Value, decimalsAsStrings);
        }

        WriteRaw(output, "}"u8);
        if (rented is not null)
        {
            ArrayPool<JsonProperty>.Shared.Return(rented, clearArray: true);
        }
    }

    /// <summary>Ordinal comparison of the decoded names, by UTF-16 code units; plain ASCII names compare as bytes (same order).</summary>
    private static int CompareNames(JsonProperty x, JsonProperty y)
    {
        var a = JsonMarshal.GetRawUtf8PropertyName(x);
        var b = JsonMarshal.GetRawUtf8PropertyName(y);
        return IsPlainAscii(a) && IsPlainAscii(b) ? a.SequenceCompareTo(b) : string.CompareOrdinal(x.Name, y.Name);
    }

    private static bool IsPlainAscii(ReadOnlySpan<byte> name) => Ascii.IsValid(name) && name.IndexOf((byte)'\\') < 0;

    private static void WriteNumber(IBufferWriter<byte> output, JsonElement element, bool decimalsAsStrings)
    {
        if (!TryWriteNumberAsIs(output, JsonMarshal.GetRawUtf8Value(element), decimalsAsStrings))
        {
            WriteAscii(output, FormatNumber(element.GetDouble()));
        }
    }

    /// <summary>
    /// Writes a number straight from its raw text: as a normalised decimal string, or an integer of at most 15 digits
    /// (exact in a double, so ECMAScript prints it as is). False when it needs ECMAScript double formatting instead.
    /// </summary>
    private static bool TryWriteNumberAsIs(IBufferWriter<byte> output, ReadOnlySpan<byte> raw, bool decimalsAsStrings)
    {
        if (decimalsAsStrings)
        {
            if (DecimalText.IsNormalized(raw))
            {
                WriteRaw(output, "\""u8);
                output.Write(raw);
                WriteRaw(output, "\""u8);
            }
            else
            {
                WriteString(output, DecimalText.Normalize(Encoding.ASCII.GetString(raw)));
            }

            return true;
        }

        if (IsShortInteger(raw))
        {
            output.Write(raw);
            return true;
        }

        return false;
    }

    private static bool IsShortInteger(ReadOnlySpan<byte> raw)
    {
        var digits = raw.Length > 0 && raw[0] == '-' ? raw[1..] : raw;
        return digits.Length is > 0 and <= 15
               && !digits.ContainsAnyExceptInRange((byte)'0', (byte)'9')
               && (digits[0] != '0' || (digits.Length == 1 && digits.Length == raw.Length));
    }

    public static void WriteRaw(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes) => output.Write(bytes);

    public static void WriteAscii(IBufferWriter<byte> output, string text)
    {
        var span = output.GetSpan(text.Length);
        var written = Encoding.ASCII.GetBytes(text, span);
        output.Advance(written);
    }

    public static void WriteInteger(IBufferWriter<byte> output, long value)
    {
        var span = output.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out var written);
        output.Advance(written);
    }

    public static void WriteNullableString(IBufferWriter<byte> output, string? value)
    {
        if (value is null)
        {
            WriteRaw(output, "null"u8);
        }
        else
        {
            WriteString(output, value);
        }
    }

    /// <summary>A JSON string as JSON.stringify writes it: only <c>"</c>, <c>\</c> and control characters are escaped.</summary>
    public static void WriteString(IBufferWriter<byte> output, string value)
    {
        var length = Encoding.UTF8.GetMaxByteCount(value.Length);
        var rented = length > 512 ? ArrayPool<byte>.Shared.Rent(length) : null;
        Span<byte> buffer = rented is null ? stackalloc byte[512] : rented;
        // Lone surrogates become U+FFFD here, as they always did.
        var utf8 = buffer[..Encoding.UTF8.GetBytes(value, buffer)];
        WriteUtf8String(output, utf8);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Text already in UTF-8 (a column as PostgreSQL sends it) as a JSON string, escaped as <see cref="WriteString"/> does:
    /// the escaped characters are all ASCII, so escaping the bytes gives the same result as escaping the characters.
    /// </summary>
    public static void WriteUtf8String(IBufferWriter<byte> output, ReadOnlySpan<byte> utf8)
    {
        WriteRaw(output, "\""u8);
        while (!utf8.IsEmpty)
        {
            var plain = IndexOfEscaped(utf8);
            if (plain < 0)
            {
                output.Write(utf8);
                break;
            }

            output.Write(utf8[..plain]);
            WriteEscape(output, utf8[plain]);
            utf8 = utf8[(plain + 1)..];
        }

        WriteRaw(output, "\""u8);
    }

    private static int IndexOfEscaped(ReadOnlySpan<byte> utf8)
    {
        var control = utf8.IndexOfAnyInRange((byte)0, (byte)0x1f);
        var quote = utf8.IndexOfAny((byte)'"', (byte)'\\');
        return control < 0 ? quote : quote < 0 ? control : Math.Min(control, quote);
    }

    private static void WriteEscape(IBufferWriter<byte> output, byte c)
    {
        switch (c)
        {
            case (byte)'"': WriteRaw(output, "\\\""u8); break;
            case (byte)'\\': WriteRaw(output, "\\\\"u8); break;
            case (byte)'\b': WriteRaw(output, "\\b"u8); break;
            case (byte)'\f': WriteRaw(output, "\\f"u8); break;
            case (byte)'\n': WriteRaw(output, "\\n"u8); break;
            case (byte)'\r': WriteRaw(output, "\\r"u8); break;
            case (byte)'\t': WriteRaw(output, "\\t"u8); break;
            default:
                Span<byte> escape = [(byte)'\\', (byte)'u', (byte)'0', (byte)'0', Hex(c >> 4), Hex(c & 0xf)];
                output.Write(escape);
                break;
        }
    }

    private static byte Hex(int nibble) => (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);

    /// <summary>ECMAScript Number.prototype.toString for a finite double (RFC 8785 section 3.2.2.3).</summary>
    public static string FormatNumber(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), "JSON has no NaN or Infinity.");
        }

        if (value == 0)
        {
            return "0";
        }

        // "R" gives the shortest round-trip digits (since .NET Core 3.0), as ECMAScript requires; only the layout differs.
        var roundTrip = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var (digits, pointPosition) = DecimalText.Split(roundTrip);
        var n = pointPosition; // value = 0.digits * 10^n
        var k = digits.Length;
        string text;
        if (k <= n && n <= 21)
        {
            text = digits + new string('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            text = digits[..n] + "." + digits[n..];
        }
        else if (-6 < n && n <= 0)
        {
            text = "0." + new string('0', -n) + digits;
        }
        else
        {
            var exponent = n - 1;
            var sign = exponent < 0 ? "-" : "+";
            var mantissa = k == 1 ? digits : digits[..1] + "." + digits[1..];
            text = mantissa + "e" + sign + Math.Abs(exponent).ToString(CultureInfo.InvariantCulture);
        }

        return value < 0 ? "-" + text : text;
    }

    [System.Runtime.CompilerServices.InlineArray(StackSortLimit)]
    private struct PropertyBuffer
    {
        private JsonProperty _element;
    }
}
