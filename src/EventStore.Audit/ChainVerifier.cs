using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;

namespace EventStore.Audit;

/// <summary>The first problem a verification found, by sequence.</summary>
public static class Problems
{
    public const string Altered = "altered";
    public const string Missing = "missing";
    public const string Inserted = "inserted";
    public const string Reordered = "reordered";
    public const string Malformed = "malformed";
    public const string Checkpoint = "checkpoint";
}

public sealed record VerificationResult(
    bool Ok,
    long Events,
    long Gaps,
    string? HeadHash,
    long? FailedSequence,
    string? Problem,
    string Detail)
{
    public override string ToString() => Ok
        ? $"OK: {Events} events, head {HeadHash ?? "(empty export)"}"
        : $"FAILED at sequence {FailedSequence}: {Problem} ({Detail})";
}

/// <summary>
/// Verifies an NDJSON export line by line in constant memory (one line of look-ahead): each line's hash is recomputed from its
/// canonical record and the previous line's hash. The chain is anchored at the first line's prevHash (32 zero bytes for an
/// export from the start of the log); a signed checkpoint pins a later point of it.
/// </summary>
public static class ChainVerifier
{
    public static async Task<VerificationResult> VerifyAsync(TextReader export, Checkpoint? checkpoint = null, ECDsa? publicKey = null,
        CancellationToken cancellationToken = default)
    {
        if (checkpoint is not null)
        {
            if (publicKey is null)
            {
                throw new ArgumentNullException(nameof(publicKey), "A checkpoint is verified against the auditors' public key.");
            }

            if (!checkpoint.HasValidSignature(publicKey))
            {
                return Fail(checkpoint.Sequence, Problems.Checkpoint, "the checkpoint's signature does not match its contents and the public key");
            }
        }

        var reader = new LineReader(export);
        var canonical = new ArrayBufferWriter<byte>(1024);
        var computed = new byte[HashChain.HashLength];
        byte[]? running = null;
        long? last = null;
        long events = 0, gaps = 0;
        var checkpointReached = false;
        while (await reader.NextAsync(cancellationToken) is { } line)
        {
            using var parsed = line;
            if (parsed.Error is not null)
            {
                return Fail(last + 1 ?? 0, Problems.Malformed, $"line {reader.LineNumber}: {parsed.Error}");
            }

            var sequence = parsed.Sequence;
            if (last is { } previous)
            {
                if (sequence == previous)
                {
                    return Fail(sequence, Problems.Inserted, "a second record with the same sequence number");
                }

                if (sequence < previous)
                {
                    return Fail(sequence, Problems.Reordered, $"follows sequence {previous}");
                }

                if (sequence > previous + 1)
                {
                    var next = await reader.PeekAsync(cancellationToken);
                    return next is { Error: null } && next.Sequence < sequence
                        ? Fail(sequence, Problems.Reordered, $"appears before sequence {next.Sequence}")
                        : Fail(previous + 1, Problems.Missing, $"the export jumps from sequence {previous} to {sequence}");
                }

                if (!HexEquals(running, parsed.PrevHash))
                {
                    return Fail(sequence, Problems.Inserted, "its prevHash does not chain to the previous record");
                }
            }
            else
            {
                running = parsed.PrevHashBytes;
            }

            canonical.ResetWrittenCount();
            parsed.Canonical(canonical);
            HashChain.Next(running, canonical.WrittenSpan, computed);
            if (!HexEquals(computed, parsed.Hash))
            {
                var insertedIntoGap = !parsed.IsGap
                    && HashChain.ToHex(HashChain.Next(running, AuditRecord.Gap(sequence))).Equals(parsed.Hash, StringComparison.Ordinal);
                return insertedIntoGap
                    ? Fail(sequence, Problems.Inserted, "an event where the ledger chained a skipped sequence number")
                    : Fail(sequence, Problems.Altered, "its contents do not hash to the chained hash");
            }

            if (checkpoint is not null && sequence == checkpoint.Sequence)
            {
                if (!parsed.Hash.Equals(checkpoint.HeadHash, StringComparison.Ordinal))
                {
                    return Fail(sequence, Problems.Checkpoint, "the chain's hash here differs from the signed checkpoint's head hash");
                }

                checkpointReached = true;
            }

            running ??= new byte[HashChain.HashLength];
            computed.CopyTo(running, 0);
            last = sequence;
            if (parsed.IsGap)
            {
                gaps++;
            }
            else
            {
                events++;
            }
        }

        if (checkpoint is not null && !checkpointReached)
        {
            return Fail(checkpoint.Sequence, Problems.Checkpoint,
                $"the export ({(last is null ? "empty" : $"ends at sequence {last}")}) does not cover the checkpoint's sequence");
        }

        return new VerificationResult(true, events, gaps, running is null || last is null ? null : HashChain.ToHex(running), null, null,
            "");
    }

    /// <summary>The hash's lowercase hex equals <paramref name="hex"/> exactly (an uppercase digit is a difference, as ever).</summary>
    private static bool HexEquals(ReadOnlySpan<byte> hash, string hex)
    {
        Span<char> text = stackalloc char[HashChain.HashLength * 2];
        return Convert.TryToHexStringLower(hash, text, out var written) && text[..written].SequenceEqual(hex);
    }

    private static VerificationResult Fail(long sequence, string problem, string detail) =>
        new(false, 0, 0, null, sequence, problem, detail);

    private sealed class LineReader(TextReader reader)
    {
        private ParsedLine? _peeked;

        public long LineNumber { get; private set; }

        public async Task<ParsedLine?> NextAsync(CancellationToken cancellationToken)
        {
            if (_peeked is { } peeked)
            {
                _peeked = null;
                return peeked;
            }

            return await ReadAsync(cancellationToken);
        }

        public async Task<ParsedLine?> PeekAsync(CancellationToken cancellationToken) => _peeked ??= await ReadAsync(cancellationToken);

        private async Task<ParsedLine?> ReadAsync(CancellationToken cancellationToken)
        {
            while (await reader.ReadLineAsync(cancellationToken) is { } text)
            {
                LineNumber++;
                if (!string.IsNullOrWhiteSpace(text))
                {
                    return ParsedLine.Parse(text);
                }
            }

            return null;
        }
    }

    private sealed class ParsedLine : IDisposable
    {
        private JsonDocument? _document;

        public string? Error { get; private init; }

        public long Sequence { get; private init; }

        public string Hash { get; private init; } = "";

        public string PrevHash { get; private init; } = "";

        public byte[] PrevHashBytes { get; private init; } = [];

        public bool IsGap { get; private init; }

        public static ParsedLine Parse(string text)
        {
            try
            {
                var document = JsonDocument.Parse(text);
                var root = document.RootElement;
                var prevHash = root.GetProperty(ExportLine.PrevHashKey).GetString()!;
                var prevBytes = HashChain.FromHex(prevHash);
                if (prevBytes.Length != HashChain.HashLength)
                {
                    throw new FormatException("prevHash is not 32 bytes");
                }

                return new ParsedLine
                {
                    _document = document,
                    Sequence = root.GetProperty("sequence").GetInt64(),
                    Hash = root.GetProperty(ExportLine.HashKey).GetString()!,
                    PrevHash = prevHash,
                    PrevHashBytes = prevBytes,
                    IsGap = root.TryGetProperty("gap", out var gap) && gap.ValueKind == JsonValueKind.True,
                };
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                return new ParsedLine { Error = e.Message };
            }
        }

        /// <summary>The line minus hash and prevHash, re-canonicalized: numbers in data are already decimal strings.</summary>
        public void Canonical(IBufferWriter<byte> output) =>
            Jcs.WriteValue(output, _document!.RootElement, decimalsAsStrings: false, ExportLine.HashKey, ExportLine.PrevHashKey);

        public void Dispose() => _document?.Dispose();
    }
}
