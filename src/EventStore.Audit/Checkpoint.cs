using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventStore.Audit;

/// <summary>
/// A signed seal on the chain: the head hash at a sequence, at a time. The signature is ECDSA P-256 with SHA-256, IEEE P1363
/// form (r || s, 64 bytes), base64, over the JCS bytes of <c>{"createdAt":…,"headHash":…,"sequence":N}</c>.
/// </summary>
public sealed record Checkpoint(
    [property: JsonPropertyName("sequence")] long Sequence,
    [property: JsonPropertyName("headHash")] string HeadHash,
    [property: JsonPropertyName("createdAt")] string CreatedAt,
    [property: JsonPropertyName("signature")] string Signature)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Checkpoint times: UTC, microseconds, the same text PostgreSQL stores and returns.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static byte[] SignedBytes(long sequence, string headHash, string createdAt)
    {
        var output = new ArrayBufferWriter<byte>(160);
        Jcs.WriteRaw(output, "{\"createdAt\":"u8);
        Jcs.WriteString(output, createdAt);
        Jcs.WriteRaw(output, ",\"headHash\":"u8);
        Jcs.WriteString(output, headHash);
        Jcs.WriteRaw(output, ",\"sequence\":"u8);
        Jcs.WriteInteger(output, sequence);
        Jcs.WriteRaw(output, "}"u8);
        return output.WrittenSpan.ToArray();
    }

    public static Checkpoint Sign(long sequence, string headHash, DateTimeOffset createdAt, ECDsa key)
    {
        var time = FormatTime(createdAt);
        var signature = key.SignData(SignedBytes(sequence, headHash, time), HashAlgorithmName.SHA256,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new Checkpoint(sequence, headHash, time, Convert.ToBase64String(signature));
    }

    public bool HasValidSignature(ECDsa publicKey)
    {
        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(Signature);
        }
        catch (FormatException)
        {
            return false;
        }

        return publicKey.VerifyData(SignedBytes(Sequence, HeadHash, CreatedAt), signature, HashAlgorithmName.SHA256,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static Checkpoint Parse(string json) =>
        JsonSerializer.Deserialize<Checkpoint>(json) ?? throw new FormatException("The checkpoint file is empty.");

    /// <summary>A P-256 public key from PEM ("PUBLIC KEY", SubjectPublicKeyInfo).</summary>
    public static ECDsa PublicKeyFromPem(string pem)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(pem);
        return key;
    }
}
