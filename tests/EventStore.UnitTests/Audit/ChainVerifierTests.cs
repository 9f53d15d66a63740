using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using EventStore.Audit;

namespace EventStore.UnitTests.Audit;

public sealed class ChainVerifierTests
{
    /// <summary>An export of <paramref name="count"/> records (sequence 4 skipped by the store), as the server writes it.</summary>
    private static List<string> Export(int count, out string head)
    {
        var lines = new List<string>();
        var previous = HashChain.Genesis;
        for (var sequence = 1L; sequence <= count; sequence++)
        {
            var output = new ArrayBufferWriter<byte>();
            if (sequence == 4)
            {
                var gapHash = HashChain.Next(previous, AuditRecord.Gap(sequence));
                ExportLine.WriteGap(output, sequence, gapHash, previous);
                previous = gapHash;
            }
            else
            {
                var e = Event(sequence, $"{{\"amount\":{sequence}.50,\"note\":\"n{sequence}\"}}");
                var hash = HashChain.Next(previous, AuditRecord.Canonical(e));
                ExportLine.WriteEvent(output, e, hash, previous);
                previous = hash;
            }

            lines.Add(Encoding.UTF8.GetString(output.WrittenSpan).TrimEnd('\n'));
        }

        head = HashChain.ToHex(previous);
        return lines;
    }

    private static StoredEvent Event(long sequence, string data) => new(sequence, $"id-{sequence}", "stream-1", sequence, "deposited",
        "2026-01-01T00:00:00.000000Z", data, "corr", "cause", "alice", "{\"x\":1}");

    private static Task<VerificationResult> Verify(IEnumerable<string> lines, Checkpoint? checkpoint = null, ECDsa? key = null) =>
        ChainVerifier.VerifyAsync(new StringReader(string.Join('\n', lines) + "\n"), checkpoint, key);

    [Fact]
    public async Task an_untouched_export_verifies_with_its_head()
    {
        var result = await Verify(Export(10, out var head));

        Assert.True(result.Ok, result.ToString());
        Assert.Equal(9, result.Events);
        Assert.Equal(1, result.Gaps);
        Assert.Equal($"OK: 9 events, head {head}", result.ToString());
    }

    [Fact]
    public async Task an_altered_amount_is_named_by_its_sequence()
    {
        var lines = Export(10, out _);
        lines[5] = lines[5].Replace("\"6.5\"", "\"600.5\"", StringComparison.Ordinal);

        var result = await Verify(lines);

        Assert.Equal((6L, Problems.Altered), (result.FailedSequence, result.Problem));
        Assert.StartsWith("FAILED at sequence 6: altered", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_removed_line_is_missing()
    {
        var lines = Export(10, out _);
        lines.RemoveAt(6);

        var result = await Verify(lines);

        Assert.Equal((7L, Problems.Missing), (result.FailedSequence, result.Problem));
    }

    [Fact]
    public async Task a_repeated_line_is_inserted()
    {
        var lines = Export(10, out _);
        lines.Insert(3, lines[2]);

        var result = await Verify(lines);

        Assert.Equal((3L, Problems.Inserted), (result.FailedSequence, result.Problem));
    }

    [Fact]
    public async Task a_line_that_does_not_chain_to_its_predecessor_is_inserted()
    {
        var lines = Export(10, out _);
        var forged = new ArrayBufferWriter<byte>();
        var forgedEvent = Event(8, "{\"amount\":1000000}");
        var fakePrevious = new byte[32];
        ExportLine.WriteEvent(forged, forgedEvent, HashChain.Next(fakePrevious, AuditRecord.Canonical(forgedEvent)), fakePrevious);
        lines[7] = Encoding.UTF8.GetString(forged.WrittenSpan).TrimEnd('\n');

        var result = await Verify(lines);

        Assert.Equal((8L, Problems.Inserted), (result.FailedSequence, result.Problem));
    }

    [Fact]
    public async Task an_event_forged_into_a_skipped_number_is_inserted()
    {
        var lines = Export(10, out _);
        var gap = System.Text.Json.JsonDocument.Parse(lines[3]).RootElement;
        var forged = new ArrayBufferWriter<byte>();
        ExportLine.WriteEvent(forged, Event(4, "{\"amount\":5}"), HashChain.FromHex(gap.GetProperty("hash").GetString()!),
            HashChain.FromHex(gap.GetProperty("prevHash").GetString()!));
        lines[3] = Encoding.UTF8.GetString(forged.WrittenSpan).TrimEnd('\n');

        var result = await Verify(lines);

        Assert.Equal((4L, Problems.Inserted), (result.FailedSequence, result.Problem));
    }

    [Fact]
    public async Task swapped_lines_are_reordered()
    {
        var lines = Export(10, out _);
        (lines[4], lines[5]) = (lines[5], lines[4]);

        var result = await Verify(lines);

        Assert.Equal((6L, Problems.Reordered), (result.FailedSequence, result.Problem));
    }

    [Fact]
    public async Task a_line_moved_earlier_is_reordered()
    {
        var lines = Export(10, out _);
        var moved = lines[6];
        lines.RemoveAt(6);
        lines.Insert(1, moved);

        var result = await Verify(lines);

        Assert.Equal((7L, Problems.Reordered), (result.FailedSequence, result.Problem));
    }

    [Fact]
    public async Task a_line_moved_later_is_missing_where_it_belongs()
    {
        var lines = Export(10, out _);
        var moved = lines[1];
        lines.RemoveAt(1);
        lines.Insert(6, moved);

        var result = await Verify(lines);

        Assert.Equal((2L, Problems.Missing), (result.FailedSequence, result.Problem));
    }

    [Fact]
    public async Task a_line_that_is_not_json_is_malformed() =>
        Assert.Equal(Problems.Malformed, (await Verify([.. Export(3, out _), "{not json"])).Problem);
}
