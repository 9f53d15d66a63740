namespace EventStore.Domain.Privacy;

/// <summary>
/// A data subject's key, in its own table (a Marten document, written in the same transaction as the events it
/// seals). <see cref="WrappedKey"/> is the 256-bit data key encrypted under the key-encryption key from
/// configuration. Erasure deletes the wrapped key but keeps the row, so no new key can ever be made for an erased
/// subject (a late command fails instead of writing readable data again).
/// </summary>
public sealed class PersonalDataKey : ICreatedOnFirstUse
{
    /// <summary>The data subject (a user id).</summary>
    public Guid Id { get; set; }

    /// <summary>base64(nonce[12] || tag[16] || AES-GCM(data key)); null once erased.</summary>
    public string? WrappedKey { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ErasedAt { get; set; }

    public bool IsErased => WrappedKey is null;
}
