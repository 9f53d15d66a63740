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

    public static void Write(IBufferWriter<byte> output, StoredEvent e) => Write(output, EventRow.From(e));

    public static void Write(IBufferWriter<byte> output, EventRow e)
    {
        WriteOpen(output, e);
        Jcs.WriteRaw(output, "}"u8);
    }

    /// <summary>The record without its closing brace: the export appends the hashes as its last members.</summary>
    internal static void WriteOpen(IBufferWriter<byte> output, EventRow e)
    {
        // Keys in JCS order, written by hand: ordinal order of the literal names below.
        Jcs.WriteRaw(output, "{\"data\":"u8);
        WriteJson(output, e, EventRow.Field.Data);
        Jcs.WriteRaw(output, ",\"id\":"u8);
        WriteText(output, e, EventRow.Field.Id);
        Jcs.WriteRaw(output, ",\"metadata\":{\"actor\":"u8);
        WriteText(output, e, EventRow.Field.Actor);
        Jcs.WriteRaw(output, ",\"causationId\":"u8);
        WriteText(output, e, EventRow.Field.CausationId);
        Jcs.WriteRaw(output, ",\"correlationId\":"u8);
        WriteText(output, e, EventRow.Field.CorrelationId);
        Jcs.WriteRaw(output, ",\"headers\":"u8);
        WriteJson(output, e, EventRow.Field.Headers);
        Jcs.WriteRaw(output, "},\"sequence\":"u8);
        Jcs.WriteInteger(output, e.Sequence);
        Jcs.WriteRaw(output, ",\"streamId\":"u8);
        WriteText(output, e, EventRow.Field.StreamId);
        Jcs.WriteRaw(output, ",\"timestamp\":"u8);
        WriteText(output, e, EventRow.Field.Timestamp);
        Jcs.WriteRaw(output, ",\"type\":"u8);
        WriteText(output, e, EventRow.Field.Type);
        Jcs.WriteRaw(output, ",\"version\":"u8);
        Jcs.WriteInteger(output, e.Version);
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

    private static void WriteText(IBufferWriter<byte> output, EventRow e, EventRow.Field field)
    {
        if (e.IsNull(field))
        {
            Jcs.WriteRaw(output, "null"u8);
        }
        else
        {
            Jcs.WriteUtf8String(output, e.Get(field));
        }
    }

    private static void WriteJson(IBufferWriter<byte> output, EventRow e, EventRow.Field field)
    {
        if (e.IsNull(field))
        {
            Jcs.WriteRaw(output, "null"u8);
            return;
        }

        Jcs.WriteCanonical(output, e.Get(field), decimalsAsStrings: true);
    }
}
