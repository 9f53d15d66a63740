using System.Security.Cryptography;
using System.Text;
using EventStore.Audit;

namespace EventStore.UnitTests.Audit;

public sealed class CheckpointTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 24, 6, 30, 0, 123, TimeSpan.Zero);

    private static (List<string> Lines, string Head) Export()
    {
        var lines = new List<string>();
        var previous = HashChain.Genesis;
        for (var sequence = 1L; sequence <= 5; sequence++)
        {
            var e = new StoredEvent(sequence, $"id-{sequence}", "s", sequence, "t", "2026-01-01T00:00:00.000000Z", "{}", null, null, null, null);
            var hash = HashChain.Next(previous, AuditRecord.Canonical(e));
            var output = new System.Buffers.ArrayBufferWriter<byte>();
            ExportLine.WriteEvent(output, e, hash, previous);
            lines.Add(Encoding.UTF8.GetString(output.WrittenSpan));
            previous = hash;
        }

        return (lines, HashChain.ToHex(previous));
    }

    [Fact]
    public void a_signed_checkpoint_round_trips_through_its_json_and_pem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var checkpoint = Checkpoint.Sign(5, new string('a', 64), At, key);
        using var publicKey = Checkpoint.PublicKeyFromPem(key.ExportSubjectPublicKeyInfoPem());

        var parsed = Checkpoint.Parse(checkpoint.ToJson());

        Assert.Equal(checkpoint, parsed);
        Assert.Equal("2026-11-24T06:30:00.123000Z", parsed.CreatedAt);
        Assert.True(parsed.HasValidSignature(publicKey));
        Assert.Equal("{\"createdAt\":\"2026-11-24T06:30:00.123000Z\",\"headHash\":\"" + new string('a', 64) + "\",\"sequence\":5}",
            Encoding.UTF8.GetString(Checkpoint.SignedBytes(5, new string('a', 64), parsed.CreatedAt)));
    }

    [Fact]
    public async Task the_chain_verifies_against_a_checkpoint_at_its_head()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (lines, head) = Export();

        var result = await ChainVerifier.VerifyAsync(new StringReader(string.Concat(lines)), Checkpoint.Sign(5, head, At, key), key);

        Assert.True(result.Ok, result.ToString());
    }

    [Fact]
    public async Task a_checkpoint_whose_head_hash_was_changed_is_rejected_by_its_signature()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (lines, head) = Export();
        var tampered = Checkpoint.Sign(5, head, At, key) with { HeadHash = new string('0', 64) };

        var result = await ChainVerifier.VerifyAsync(new StringReader(string.Concat(lines)), tampered, key);

        Assert.Equal((5L, Problems.Checkpoint), (result.FailedSequence, result.Problem));
        Assert.Contains("signature", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_checkpoint_signed_by_another_key_is_rejected()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (lines, head) = Export();

        var result = await ChainVerifier.VerifyAsync(new StringReader(string.Concat(lines)), Checkpoint.Sign(5, head, At, other), key);

        Assert.Equal(Problems.Checkpoint, result.Problem);
    }

    [Fact]
    public async Task a_rewritten_chain_does_not_reach_the_checkpoint_head()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (lines, head) = Export();
        var checkpoint = Checkpoint.Sign(5, head, At, key);
        // A consistent rewrite of the whole export (all hashes recomputed) passes the chain but not the seal.
        var previous = HashChain.Genesis;
        var rewritten = new List<string>();
        for (var sequence = 1L; sequence <= 5; sequence++)
        {
            var e = new StoredEvent(sequence, $"id-{sequence}", "s", sequence, "t", "2026-01-01T00:00:00.000000Z", "{\"forged\":true}", null, null, null, null);
            var hash = HashChain.Next(previous, AuditRecord.Canonical(e));
            var output = new System.Buffers.ArrayBufferWriter<byte>();
            ExportLine.WriteEvent(output, e, hash, previous);
            rewritten.Add(Encoding.UTF8.GetString(output.WrittenSpan));
            previous = hash;
        }

        var result = await ChainVerifier.VerifyAsync(new StringReader(string.Concat(rewritten)), checkpoint, key);

        Assert.Equal((5L, Problems.Checkpoint), (result.FailedSequence, result.Problem));
    }

    [Fact]
    public async Task an_export_that_stops_before_the_checkpoint_is_rejected()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (lines, head) = Export();

        var result = await ChainVerifier.VerifyAsync(new StringReader(string.Concat(lines.Take(3))), Checkpoint.Sign(5, head, At, key), key);

        Assert.Equal((5L, Problems.Checkpoint), (result.FailedSequence, result.Problem));
    }
}
