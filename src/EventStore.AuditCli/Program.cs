using EventStore.Audit;

// eventstore-audit verify export.ndjson [--checkpoint checkpoint.json --public-key key.pem]
// Arguments are parsed by hand: one command, two options; System.CommandLine would be a package for very little.
const string Usage = "usage: eventstore-audit verify <export.ndjson> [--checkpoint <checkpoint.json> --public-key <key.pem>]";

if (args.Length < 2 || args[0] != "verify")
{
    await Console.Error.WriteLineAsync(Usage);
    return 2;
}

string? exportPath = null, checkpointPath = null, publicKeyPath = null;
for (var i = 1; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--checkpoint" when i + 1 < args.Length:
            checkpointPath = args[++i];
            break;
        case "--public-key" when i + 1 < args.Length:
            publicKeyPath = args[++i];
            break;
        default:
            if (args[i].StartsWith("--", StringComparison.Ordinal) || exportPath is not null)
            {
                await Console.Error.WriteLineAsync(Usage);
                return 2;
            }

            exportPath = args[i];
            break;
    }
}

if (exportPath is null || (checkpointPath is null) != (publicKeyPath is null))
{
    await Console.Error.WriteLineAsync(Usage);
    await Console.Error.WriteLineAsync("--checkpoint and --public-key go together.");
    return 2;
}

try
{
    Checkpoint? checkpoint = null;
    System.Security.Cryptography.ECDsa? publicKey = null;
    if (checkpointPath is not null)
    {
        checkpoint = Checkpoint.Parse(await File.ReadAllTextAsync(checkpointPath));
        publicKey = Checkpoint.PublicKeyFromPem(await File.ReadAllTextAsync(publicKeyPath!));
    }

    using var export = new StreamReader(exportPath, new FileStreamOptions { BufferSize = 1 << 16 });
    var result = await ChainVerifier.VerifyAsync(export, checkpoint, publicKey);
    Console.WriteLine(result);
    if (result.Ok && result.Gaps > 0)
    {
        Console.WriteLine($"({result.Gaps} sequence numbers skipped by the store are chained as gaps)");
    }

    if (result.Ok && checkpoint is not null)
    {
        Console.WriteLine($"checkpoint at sequence {checkpoint.Sequence} ({checkpoint.CreatedAt}): signature valid, head hash matches");
    }

    return result.Ok ? 0 : 1;
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or System.Text.Json.JsonException
                              or ArgumentException or System.Security.Cryptography.CryptographicException)
{
    await Console.Error.WriteLineAsync($"eventstore-audit: {e.Message}");
    return 2;
}
