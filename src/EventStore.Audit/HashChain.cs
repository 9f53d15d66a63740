using System.Security.Cryptography;

namespace EventStore.Audit;

/// <summary>hash(n) = SHA-256(hash(n-1) || canonical bytes of record n); the hash before the first record is 32 zero bytes.</summary>
public static class HashChain
{
    public const int HashLength = 32;

    public static byte[] Genesis => new byte[HashLength];

    public static byte[] Next(ReadOnlySpan<byte> previous, ReadOnlySpan<byte> canonicalRecord)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(previous);
        hash.AppendData(canonicalRecord);
        return hash.GetHashAndReset();
    }

    public static string ToHex(ReadOnlySpan<byte> hash) => Convert.ToHexStringLower(hash);

    public static byte[] FromHex(string hex) => Convert.FromHexString(hex);
}
