using System.Buffers;
using System.Security.Cryptography;

namespace EventStore.Audit;

/// <summary>hash(n) = SHA-256(hash(n-1) || canonical bytes of record n); the hash before the first record is 32 zero bytes.</summary>
public static class HashChain
{
    public const int HashLength = 32;

    public static byte[] Genesis => new byte[HashLength];

    public static byte[] Next(ReadOnlySpan<byte> previous, ReadOnlySpan<byte> canonicalRecord)
    {
        var next = new byte[HashLength];
        Next(previous, canonicalRecord, next);
        return next;
    }

    public static void Next(ReadOnlySpan<byte> previous, ReadOnlySpan<byte> canonicalRecord, Span<byte> destination)
    {
        // One-shot over a pooled copy: cheaper than an IncrementalHash (a native context) per record, a million times.
        var length = previous.Length + canonicalRecord.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        previous.CopyTo(buffer);
        canonicalRecord.CopyTo(buffer.AsSpan(previous.Length));
        SHA256.HashData(buffer.AsSpan(0, length), destination);
        ArrayPool<byte>.Shared.Return(buffer);
    }

    public static string ToHex(ReadOnlySpan<byte> hash) => Convert.ToHexStringLower(hash);

    public static byte[] FromHex(string hex) => Convert.FromHexString(hex);

    /// <summary>The hash as a JSON string of lowercase hex, written in place.</summary>
    public static void WriteHex(IBufferWriter<byte> output, ReadOnlySpan<byte> hash)
    {
        var span = output.GetSpan(hash.Length * 2 + 2);
        span[0] = (byte)'"';
        Convert.TryToHexStringLower(hash, span[1..], out var written);
        span[written + 1] = (byte)'"';
        output.Advance(written + 2);
    }
}
