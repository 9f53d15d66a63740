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

    public static void WriteEvent(IBufferWriter<byte> output, StoredEvent e, ReadOnlySpan<byte> hash, ReadOnlySpan<byte> prevHash)
    {
        var record = new ArrayBufferWriter<byte>(512);
        AuditRecord.Write(record, e);
        WriteWithHashes(output, record.WrittenSpan, hash, prevHash);
    }

    public static void WriteGap(IBufferWriter<byte> output, long sequence, ReadOnlySpan<byte> hash, ReadOnlySpan<byte> prevHash) =>
        WriteWithHashes(output, AuditRecord.Gap(sequence), hash, prevHash);

    private static void WriteWithHashes(IBufferWriter<byte> output, ReadOnlySpan<byte> record, ReadOnlySpan<byte> hash,
        ReadOnlySpan<byte> prevHash)
    {
        output.Write(record[..^1]);
        Jcs.WriteRaw(output, ",\"hash\":"u8);
        Jcs.WriteString(output, HashChain.ToHex(hash));
        Jcs.WriteRaw(output, ",\"prevHash\":"u8);
        Jcs.WriteString(output, HashChain.ToHex(prevHash));
        Jcs.WriteRaw(output, "}\n"u8);
    }
}
