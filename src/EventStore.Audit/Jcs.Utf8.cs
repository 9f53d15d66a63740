using System.Buffers;
using System.Text;
using System.Text.Json;

namespace EventStore.Audit;

public static partial class Jcs
{
    /// <summary>
    /// The canonical form of a JSON text given as UTF-8 (an event's data or headers as PostgreSQL sends them), read with a
    /// <see cref="Utf8JsonReader"/> straight off the bytes: the same output as parsing it into a <see cref="JsonDocument"/>
    /// and calling <see cref="WriteValue"/>, without the document (no rented metadata, no allocation on the common path).
    /// An object's members are located in one pass, sorted, then each value is written from its own slice.
    /// </summary>
    public static void WriteCanonical(IBufferWriter<byte> output, ReadOnlySpan<byte> json, bool decimalsAsStrings)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read())
        {
            throw new JsonException("The JSON text is empty.");
        }

        WriteToken(output, ref reader, json, decimalsAsStrings);
        if (reader.Read())
        {
            throw new JsonException("The JSON text has more than one value.");
        }
    }

    private static void WriteToken(IBufferWriter<byte> output, ref Utf8JsonReader reader, ReadOnlySpan<byte> json, bool decimalsAsStrings)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                WriteObject(output, ref reader, json, decimalsAsStrings);
                break;
            case JsonTokenType.StartArray:
                WriteRaw(output, "["u8);
                var first = true;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (!first)
                    {
                        WriteRaw(output, ","u8);
                    }

                    first = false;
                    WriteToken(output, ref reader, json, decimalsAsStrings);
                }

                WriteRaw(output, "]"u8);
                break;
            case JsonTokenType.String:
                if (reader.ValueIsEscaped)
                {
                    WriteString(output, reader.GetString()!);
                }
                else
                {
                    WriteRaw(output, "\""u8);
                    output.Write(reader.ValueSpan);
                    WriteRaw(output, "\""u8);
                }

                break;
            case JsonTokenType.Number:
                if (!TryWriteNumberAsIs(output, reader.ValueSpan, decimalsAsStrings))
                {
                    WriteAscii(output, FormatNumber(reader.GetDouble()));
                }

                break;
            case JsonTokenType.True:
                WriteRaw(output, "true"u8);
                break;
            case JsonTokenType.False:
                WriteRaw(output, "false"u8);
                break;
            default:
                WriteRaw(output, "null"u8);
                break;
        }
    }

    private static void WriteObject(IBufferWriter<byte> output, ref Utf8JsonReader reader, ReadOnlySpan<byte> json, bool decimalsAsStrings)
    {
        var inline = new MemberBuffer();
        Span<Member> members = inline;
        Member[]? rented = null;
        var count = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (count == members.Length)
            {
                var larger = ArrayPool<Member>.Shared.Rent(members.Length * 2);
                members.CopyTo(larger);
                if (rented is not null)
                {
                    ArrayPool<Member>.Shared.Return(rented, clearArray: true);
                }

                rented = larger;
                members = larger;
            }

            var nameStart = (int)reader.TokenStartIndex + 1; // after the opening quote
            var nameLength = reader.ValueSpan.Length;
            // Names that are not plain ASCII compare (and are written) as decoded text; the rest byte by byte.
            var decoded = reader.ValueIsEscaped || !Ascii.IsValid(reader.ValueSpan) ? reader.GetString() : null;
            var escaped = reader.ValueIsEscaped;
            reader.Read();
            var valueStart = (int)reader.TokenStartIndex;
            reader.Skip();
            members[count] = new Member(nameStart, nameLength, escaped, decoded, valueStart, (int)reader.BytesConsumed);
            count++;
        }

        members = members[..count];
        for (var i = 1; i < members.Length; i++)
        {
            // Insertion sort: stable, like the document-based writer.
            var current = members[i];
            var j = i - 1;
            while (j >= 0 && Compare(members[j], current, json) > 0)
            {
                members[j + 1] = members[j];
                j--;
            }

            members[j + 1] = current;
        }

        WriteRaw(output, "{"u8);
        for (var i = 0; i < members.Length; i++)
        {
            var member = members[i];
            if (i > 0)
            {
                WriteRaw(output, ","u8);
            }

            if (member.Escaped)
            {
                WriteString(output, member.Decoded!);
            }
            else
            {
                WriteRaw(output, "\""u8);
                output.Write(json.Slice(member.NameStart, member.NameLength));
                WriteRaw(output, "\""u8);
            }

            WriteRaw(output, ":"u8);
            var value = json[member.ValueStart..member.ValueEnd];
            var valueReader = new Utf8JsonReader(value);
            valueReader.Read();
            WriteToken(output, ref valueReader, value, decimalsAsStrings);
        }

        WriteRaw(output, "}"u8);
        if (rented is not null)
        {
            ArrayPool<Member>.Shared.Return(rented, clearArray: true);
        }
    }

    private static int Compare(in Member x, in Member y, ReadOnlySpan<byte> json) =>
        x.Decoded is null && y.Decoded is null
            ? json.Slice(x.NameStart, x.NameLength).SequenceCompareTo(json.Slice(y.NameStart, y.NameLength))
            : string.CompareOrdinal(x.Decoded ?? Encoding.UTF8.GetString(json.Slice(x.NameStart, x.NameLength)),
                y.Decoded ?? Encoding.UTF8.GetString(json.Slice(y.NameStart, y.NameLength)));

    private readonly record struct Member(int NameStart, int NameLength, bool Escaped, string? Decoded, int ValueStart, int ValueEnd);

    [System.Runtime.CompilerServices.InlineArray(StackSortLimit)]
    private struct MemberBuffer
    {
        private Member _element;
    }
}
