using System.Text;

namespace EventStore.IntegrationTests.Api.Malformed;

/// <summary>
/// Byte-level damage to a valid request body or WebSocket message: bit flips, bytes replaced, inserted, deleted,
/// repeated or cut off, and splices of tokens that stress JSON readers (duplicate keys, deep nesting, huge numbers,
/// escaped NUL and lone surrogates, byte order marks, invalid and overlong UTF-8).
/// </summary>
internal sealed class ByteMutator(Random random)
{
    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x7F, 0x80, 0xC0, 0xC3, 0xE2, 0xEF, 0xF0, 0xFE, 0xFF, (byte)'"',
        (byte)'\\', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)',', (byte)':', (byte)'0', (byte)'-', (byte)' '];

    private static readonly byte[][] Splices =
    [
        .. new[]
        {
            "{", "}", "[", "]", "\"", "\\", ",", ":", "null", "true", "-0", "1e999", "-1e-999", "0.0000000000000000000000000001",
            "\\u0000", "\\ud800", "\\uDFFF", "\\ud83d\\ude00", "\"query\":", "\"variables\":", "\"operationName\":{}",
            "\"variables\":{\"a\":1,\"a\":2},", "\"query\":1,", "\"extensions\":[],", "\"documentId\":\"x\",",
            new string('9', 120), new string('[', 70) + new string(']', 70), string.Concat(Enumerable.Repeat("{\"a\":", 70)) + "1" + new string('}', 70),
            new string(' ', 500), "/*c*/", "//c\n",
        }.Select(Encoding.UTF8.GetBytes),
        [0xEF, 0xBB, 0xBF], [0xFE, 0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x80],
    ];

    public byte[] Mutate(byte[] input)
    {
        var bytes = new List<byte>(input);
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(8))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[at] = InterestingBytes[random.Next(InterestingBytes.Length)];
                    break;
                case 2:
                    bytes.Insert(at, InterestingBytes[random.Next(InterestingBytes.Length)]);
                    break;
                case 3 when bytes.Count > 0:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 16)));
                    break;
                case 4 when bytes.Count > 0:
                    var length = Math.Min(bytes.Count - at, random.Next(1, 64));
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                case 5 when bytes.Count > 0:
                    bytes.RemoveRange(at, bytes.Count - at); // cut off
                    break;
                case 6:
                    bytes.InsertRange(0, random.Next(2) == 0 ? [0xEF, 0xBB, 0xBF] : Splices[random.Next(Splices.Length)]);
                    break;
                default:
                    bytes.InsertRange(at, Splices[random.Next(Splices.Length)]);
                    break;
            }
        }

        return [.. bytes];
    }
}
