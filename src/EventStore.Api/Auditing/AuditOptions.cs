using System.ComponentModel.DataAnnotations;

namespace EventStore.Api.Auditing;

/// <summary>Section `Audit`: the hash-chain ledger, its signed checkpoints and the export.</summary>
public sealed class AuditOptions
{
    public const string SectionName = "Audit";

    /// <summary>Runs the background <see cref="LedgerBuilder"/>; off, the chain grows only when something calls CatchUpAsync.</summary>
    public bool LedgerEnabled { get; set; } = true;

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan LedgerInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A checkpoint at the end of the batch that brings this many events since the last one.</summary>
    [Range(1, int.MaxValue)]
    public int CheckpointEvery { get; set; } = 10_000;

    /// <summary>Also a checkpoint at the end of a catch-up when the last one is older than this (and the chain grew).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Rows chained per transaction and rows exported per keyset read.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 5_000;

    /// <summary>ECDSA P-256 private key, PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"). From configuration or a secret store only.</summary>
    public string? SigningKeyPem { get; set; }

    public string DevelopmentKeyFile { get; set; } = Path.Combine(".data", "audit-signing-key.pem");
}
