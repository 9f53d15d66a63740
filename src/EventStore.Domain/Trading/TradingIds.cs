using System.Security.Cryptography;
using System.Text;

namespace EventStore.Domain.Trading;

/// <summary>
/// Stream ids derived from natural keys (name-based UUIDs, RFC 9562 version 5 style), so that "the account of user U"
/// or "the position of U in AAPL" is one stream by construction and two concurrent first writers collide in the store.
/// </summary>
public static class TradingIds
{
    private static readonly Guid Namespace = new("6f1c2b9e-4d1a-4c3b-9a57-0e3f4d5c6b7a");

    public static Guid Instrument(string symbol) => Create("instrument:" + symbol.ToUpperInvariant());

    public static Guid QuotesOf(string symbol) => Create("quotes:" + symbol.ToUpperInvariant());

    public static Guid AccountOf(Guid userId) => Create("account:" + userId.ToString("N"));

    public static Guid PositionOf(Guid userId, string symbol) =>
        Create("position:" + userId.ToString("N") + ":" + symbol.ToUpperInvariant());

    /// <summary>A name-based id in the platform's namespace, for other modules' natural keys.</summary>
    public static Guid NameBased(string name) => Create(name);

    private static Guid Create(string name)
    {
        Span<byte> input = stackalloc byte[16 + Encoding.UTF8.GetByteCount(name)];
        Namespace.TryWriteBytes(input, bigEndian: true, out _);
        Encoding.UTF8.GetBytes(name, input[16..]);
#pragma warning disable CA5350 // SHA-1 is what name-based UUIDs specify; this is an identifier, not security.
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
