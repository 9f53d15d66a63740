using System.Buffers;
using System.Text.Json;

namespace EventStore.Audit;

/// <summary>One stored event as the chain sees it: the columns of <c>mt_events</c> that make up the fact.</summary>
public sealed record StoredEvent(
    long Sequence,
    string Id,
    string StreamId,
    long Version,
    string Type,
    string Timestamp,
    string? DataJson,
    string? CorrelationId,
    string? CausationId,
    string? Actor,
    string? HeadersJson);

/// <summary>
/// The canonical bytes the chain hashes (docs/compliance.md, "Byte format"). An event:
/// <c>{"data":…,"id":…,"metadata":{"actor":…,"causationId":…,"correlationId":…,"headers":…},"sequence":N,"streamId":…,"timestamp":…,"type":…,"version":N}</c>
/// with every number inside data and headers turned into its exact decimal string. A sequence number Marten skipped:
/// <c>{"gap":true,"sequence":N}</c>.
/// </summary>
public static class AuditRecord
{
    public static byte[] Canonical(StoredEvent e)
    {
        var output = new ArrayBufferWriter<byte>(512);
        Write(output, e);
        return output.WrittenSpan.ToArray();
    }

    public static void Write(IBufferWriter<byte> output, StoredEvent e)
    {
        // Keys in JCS order, written by hand: ordinal order of the literal names below.
        Jcs.WriteRaw(output, "{\"data\":"u8);
        WriteJson(output, e.DataJson);
        Jcs.WriteRaw(output, ",\"id\":"u8);
        Jcs.WriteString(output, e.Id);
        Jcs.WriteRaw(output, ",\"metadata\":{\"actor\":"u8);
        Jcs.WriteNullableString(output, e.Actor);
        Jcs.WriteRaw(output, ",\"causationId\":"u8);
        Jcs.WriteNullableString(output, e.CausationId);
        Jcs.WriteRaw(output, ",\"correlationId\":"u8);
        Jcs.WriteNullableString(output, e.CorrelationId);
        Jcs.WriteRaw(output, ",\"headers\":"u8);
        WriteJson(output, e.HeadersJson);
        Jcs.WriteRaw(output, "},\"sequence\":"u8);
        Jcs.WriteInteger(output, e.Sequence);
        Jcs.WriteRaw(output, ",\"streamId\":"u8);
        Jcs.WriteString(output, e.StreamId);
        Jcs.WriteRaw(output, ",\"timestamp\":"u8);
        Jcs.WriteString(output, e.Timestamp);
        Jcs.WriteRaw(output, ",\"type\":"u8);
        Jcs.WriteString(output, e.Type);
        Jcs.WriteRaw(output, ",\"version\":"u8);
        Jcs.WriteInteger(output, e.Version);
        Jcs.WriteRaw(output, "}"u8);
    }

    public static byte[] Gap(long sequence)
    {
        var output = new ArrayBufferWriter<byte>(40);
        WriteGap(output, sequence);
        return output.WrittenSpan.ToArray();
    }

    public static void WriteGap(IBufferWriter<byte> output, long sequence)
    {
        Jcs.WriteRaw(output, "{\"gap\":true,\"sequence\":"u8);
        Jcs.WriteInteger(output, sequence);
        Jcs.WriteRaw(output, "}"u8);
    }

    private static void WriteJson(IBufferWriter<byte> output, string? json)
    {
        if (json is null)
        {
            Jcs.WriteRaw(output, "null"u8);
            return;
        }

        using var document = JsonDocument.Parse(json);
        Jcs.WriteValue(output, document.RootElement, decimalsAsStrings: true);
    }
}
