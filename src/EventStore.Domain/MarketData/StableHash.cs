using System.Text;

namespace EventStore.Domain.MarketData;

/// <summary>
/// A hash that is the same in every process. <see cref="string.GetHashCode()"/> and <see cref="HashCode"/> are
/// randomized per process, so they cannot seed a walk that must replay identically.
/// </summary>
public static class StableHash
{
    private const uint FnvOffsetBasis = 2166136261;
    private const uint FnvPrime = 16777619;

    /// <summary>32-bit FNV-1a over the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static uint Fnv1a(string text)
    {
        var hash = FnvOffsetBasis;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = unchecked((hash ^ b) * FnvPrime);
        }

        return hash;
    }

    /// <summary>The seed of one symbol's walk: the feed's seed mixed with the symbol's hash.</summary>
    public static int SeedFor(int seed, string symbol) =>
        unchecked((int)(Fnv1a(symbol) ^ ((uint)seed * 0x9E3779B9u)));
}
