using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EventStore.UnitTests.Audit;

// The canonicalizer as first written (JsonDocument, LINQ, strings), kept verbatim as the reference the allocation-free one
// must match byte for byte: chains already stored were hashed with it. Only the class names differ.

internal static class ReferenceJcs
{
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
                var properties = element.EnumerateObject()
                    .Where(p => p.Name != skipTopLevelKey1 && p.Name != skipTopLevelKey2)
                    .OrderBy(p => p.Name, StringComparer.Ordinal)
                    .ToList();
                WriteRaw(output, "{"u8);
                for (var i = 0; i < properties.Count; i++)
                {
                    if (i > 0)
                    {
                        WriteRaw(output, ","u8);
                    }

                    WriteString(output, properties[i].Name);
                    WriteRaw(output, ":"u8);
                    WriteValue(output, properties[i].Value, decimalsAsStrings);
                }

                WriteRaw(output, "}"u8);
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
                WriteString(output, element.GetString()!);
                break;
            case JsonValueKind.Number:
                if (decimalsAsStrings)
                {
                    WriteString(output, ReferenceDecimalText.Normalize(element.GetRawText()));
                }
                else
                {
                    WriteAscii(output, FormatNumber(element.GetDouble()));
                }

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

    public static void WriteRaw(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes) => output.Write(bytes);

    public static void WriteAscii(IBufferWriter<byte> output, string text) => output.Write(Encoding.ASCII.GetBytes(text));

    public static void WriteInteger(IBufferWriter<byte> output, long value) =>
        WriteAscii(output, value.ToString(CultureInfo.InvariantCulture));

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
        var builder = new StringBuilder(value.Length + 2);
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
        output.Write(Encoding.UTF8.GetBytes(builder.ToString()));
    }

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
        var (digits, pointPosition) = ReferenceDecimalText.Split(roundTrip);
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
}

internal static class ReferenceDecimalText
{
    public static string Normalize(string number)
    {
        var negative = number.StartsWith('-');
        var (digits, pointPosition) = Split(negative ? number[1..] : number);
        if (digits.Length == 0)
        {
            return "0";
        }

        string text;
        if (pointPosition <= 0)
        {
            text = "0." + new string('0', -pointPosition) + digits;
        }
        else if (pointPosition >= digits.Length)
        {
            text = digits + new string('0', pointPosition - digits.Length);
        }
        else
        {
            text = digits[..pointPosition] + "." + digits[pointPosition..];
        }

        return negative ? "-" + text : text;
    }

    /// <summary>
    /// Splits an unsigned JSON number (or .NET "R" text) into significant digits without leading or trailing zeros and
    /// the position of the decimal point: value = 0.DIGITS × 10^pointPosition. Zero gives no digits.
    /// </summary>
    internal static (string Digits, int PointPosition) Split(string unsigned)
    {
        var text = unsigned.TrimStart('+');
        var exponent = 0;
        var e = text.IndexOfAny(['e', 'E']);
        if (e >= 0)
        {
            exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var integerPart = dot >= 0 ? text[..dot] : text;
        var fraction = dot >= 0 ? text[(dot + 1)..] : "";
        var all = integerPart + fraction;
        var point = integerPart.Length + exponent;
        var leading = all.Length - all.TrimStart('0').Length;
        all = all[leading..];
        point -= leading;
        all = all.TrimEnd('0');
        return all.Length == 0 ? ("", 0) : (all, point);
    }
}
