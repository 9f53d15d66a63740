using System.Buffers;

namespace EventStore.Audit;

/// <summary>
/// One NDJSON line of the export: the canonical record with <c>"hash"</c> and <c>"prevHash"</c> (lowercase hex) added as
/// its last two members, then <c>\n</c>. A verifier drops those two members and re-canonicalizes the rest.
/// </summary>
public static class ExportLine
{
    public const string HashKey = "hash";
    public const string PrevHashKey = "prevHash";

    public static void WriteEvent(IBufferWriter<byte> output, StoredEvent e, ReadOnlySpan<byte> hash, ReadOnlySpan<byte> prevHash) =>
        WriteEvent(output, EventRow.From(e), hash, prevHash);

    /// <summary>Written straight into <paramref name="output"/>: no per-line buffer.</summary>
    public static void WriteEvent(IBufferWriter<byte> output, EventRow e, ReadOnlySpan<byte> hash, ReadOnlySpan<byte> prevHash)
    {
        AuditRecord.WriteOpen(output, e);
        WriteHashes(output, hash, prevHash);
    }

    public static void WriteGap(IBufferWriter<byte> output, long sequence, ReadOnlySpan<byte> hash, ReadOnlySpan<byte> prevHash)
    {
        Jcs.WriteRaw(output, "{\"gap\":true,\"sequence\":"u8);
        Jcs.WriteInteger(output, sequence);
        WriteHashes(output, hash, prevHash);
    }

    private static void WriteHashes(IBufferWriter<byte> output, ReadOnlySpan<byte> hash, ReadOnlySpan<byte> prevHash)
    {
        Jcs.WriteRaw(output, ",\"hash\":"u8);
        HashChain.WriteHex(output, hash);
        Jcs.WriteRaw(output, ",\"prevHash\":"u8);
        HashChain.WriteHex(output, prevHash);
        Jcs.WriteRaw(output, "}\n"u8);
    }
}
