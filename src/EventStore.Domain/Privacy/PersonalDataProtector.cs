using System.Security.Cryptography;
using System.Text;
using Marten;

namespace EventStore.Domain.Privacy;

/// <summary>
/// Seals and opens personal data with per-subject keys (AES-256-GCM), the keys themselves wrapped under one
/// key-encryption key from configuration. Stateless apart from that key: every read loads the subject keys it needs
/// from the database, so an erasure on one node is effective on every node at once (no key cache to go stale).
/// </summary>
public sealed class PersonalDataProtector
{
    public const int KeyBytes = 32;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly byte[] _keyEncryptionKey;

    public PersonalDataProtector(byte[] keyEncryptionKey)
    {
        if (keyEncryptionKey.Length != KeyBytes)
        {
            throw new ArgumentException($"The key-encryption key must be {KeyBytes} bytes.", nameof(keyEncryptionKey));
        }

        _keyEncryptionKey = keyEncryptionKey;
    }

    /// <summary>A fresh data key for <paramref name="subject"/>; insert it in the same transaction as its first use.</summary>
    public PersonalDataKey NewKey(Guid subject, DateTimeOffset now) => new()
    {
        Id = subject,
        WrappedKey = Convert.ToBase64String(Encrypt(_keyEncryptionKey, RandomNumberGenerator.GetBytes(KeyBytes), subject)),
        CreatedAt = now,
    };

    public SealedText Seal(PersonalDataKey key, string plaintext)
    {
        var dataKey = Unwrap(key) ?? throw ErasedError(key.Id);
        return new SealedText(key.Id, Convert.ToBase64String(Encrypt(dataKey, Encoding.UTF8.GetBytes(plaintext), key.Id)));
    }

    /// <summary>
    /// A keyed hash of <paramref name="value"/> for use as a lookup key (a document id that must be unique per user, such as
    /// a client order id claim): HMAC-SHA-256 under a key derived from the subject's data key (HKDF-SHA-256, info
    /// <c>eventstore/lookup/v1</c>), over <c>purpose</c>, a zero byte, then the value, as 64 lowercase hex digits. The same
    /// value gives the same hash for as long as the key exists, so uniqueness works; once the key is erased nobody, not even
    /// the operator with the key-encryption key, can tell which value a hash stood for.
    /// </summary>
    public string Lookup(PersonalDataKey key, string purpose, string value)
    {
        var dataKey = Unwrap(key) ?? throw ErasedError(key.Id);
        var macKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, dataKey, KeyBytes, salt: [], info: LookupInfo);
        return Convert.ToHexStringLower(HMACSHA256.HashData(macKey, Encoding.UTF8.GetBytes($"{purpose}\0{value}")));
    }

    /// <summary>
    /// A 256-bit key for one purpose and one object of the subject (HKDF-SHA-256 of the subject's data key, salt
    /// <paramref name="objectId"/>, info <paramref name="purpose"/>): the Files module encrypts each stored object under its
    /// own such key (docs/files.md). Null once the subject is erased: nothing of theirs can be decrypted any more.
    /// </summary>
    public byte[]? DeriveKey(PersonalDataKey key, string purpose, Guid objectId)
    {
        var dataKey = Unwrap(key);
        return dataKey is null
            ? null
            : HKDF.DeriveKey(HashAlgorithmName.SHA256, dataKey, KeyBytes, salt: objectId.ToByteArray(bigEndian: true),
                info: Encoding.ASCII.GetBytes(purpose));
    }

    private static readonly byte[] LookupInfo = Encoding.ASCII.GetBytes("eventstore/lookup/v1");

    /// <summary>Null when the subject's key is gone (erased); throws when the ciphertext was altered.</summary>
    public static string? Open(byte[]? dataKey, SealedText value) =>
        dataKey is null ? null : Encoding.UTF8.GetString(Decrypt(dataKey, Convert.FromBase64String(value.Ciphertext), value.Subject));

    /// <summary>The key to seal new data of <paramref name="subject"/> with, created on first use.</summary>
    public async Task<PersonalDataKey> KeyForWritingAsync(IDocumentSession session, Guid subject, DateTimeOffset now, CancellationToken ct) =>
        KeyForWriting(session, subject, await session.LoadAsync<PersonalDataKey>(subject, ct), now);

    /// <summary>
    /// As <see cref="KeyForWritingAsync"/>, over a key the caller has already loaded (or found missing) in a batch with its
    /// other reads, so sealing costs no round trip of its own.
    /// </summary>
    public PersonalDataKey KeyForWriting(IDocumentSession session, Guid subject, PersonalDataKey? loaded, DateTimeOffset now)
    {
        var key = loaded;
        if (key is null)
        {
            // The unique id makes two first uses race safely: one commit wins, the other fails with CONFLICT.
            key = NewKey(subject, now);
            session.Insert(key);
        }

        return key.IsErased ? throw ErasedError(subject) : key;
    }

    /// <summary>A sealer for <paramref name="subject"/>'s data, its key created on first use (see <see cref="KeyForWritingAsync"/>).</summary>
    public async Task<PersonalDataSealer> SealerAsync(IDocumentSession session, Guid subject, DateTimeOffset now, CancellationToken ct) =>
        new(this, await KeyForWritingAsync(session, subject, now, ct));

    /// <summary>A sealer over a key loaded by the caller (see <see cref="KeyForWriting"/>).</summary>
    public PersonalDataSealer SealerFor(IDocumentSession session, Guid subject, PersonalDataKey? loaded, DateTimeOffset now) =>
        new(this, KeyForWriting(session, subject, loaded, now));

    /// <summary>Loads the keys of <paramref name="subjects"/> for reading (one query).</summary>
    public async Task<PersonalDataOpener> OpenerAsync(IQuerySession session, IEnumerable<Guid> subjects, CancellationToken ct)
    {
        var ids = subjects.Distinct().ToArray();
        var keys = ids.Length == 0 ? [] : await session.LoadManyAsync<PersonalDataKey>(ct, ids);
        return OpenerFor(keys);
    }

    /// <summary>An opener over keys already loaded; subjects without a key (or erased) open to null.</summary>
    public PersonalDataOpener OpenerFor(IEnumerable<PersonalDataKey> keys) =>
        new(keys.ToDictionary(k => k.Id, Unwrap));

    private byte[]? Unwrap(PersonalDataKey key) =>
        key.WrappedKey is null ? null : Decrypt(_keyEncryptionKey, Convert.FromBase64String(key.WrappedKey), key.Id);

    private static ConflictException ErasedError(Guid subject) =>
        new($"The personal data of {subject} has been erased; nothing personal can be recorded for them any more.");

    private static byte[] Encrypt(byte[] key, byte[] plaintext, Guid subject)
    {
        var output = new byte[NonceBytes + TagBytes + plaintext.Length];
        var nonce = output.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceBytes + TagBytes), output.AsSpan(NonceBytes, TagBytes), subject.ToByteArray(bigEndian: true));
        return output;
    }

    private static byte[] Decrypt(byte[] key, byte[] sealedBytes, Guid subject)
    {
        if (sealedBytes.Length < NonceBytes + TagBytes)
        {
            throw new CryptographicException("Sealed personal data is truncated.");
        }

        var plaintext = new byte[sealedBytes.Length - NonceBytes - TagBytes];
        using var aes = new AesGcm(key, TagBytes);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes + TagBytes),
            sealedBytes.AsSpan(NonceBytes, TagBytes), plaintext, subject.ToByteArray(bigEndian: true));
        return plaintext;
    }
}

/// <summary>The data keys of a set of subjects, loaded once for one read.</summary>
public sealed class PersonalDataOpener(IReadOnlyDictionary<Guid, byte[]?> keys)
{
    public bool CanOpen(Guid subject) => keys.GetValueOrDefault(subject) is not null;

    /// <summary>
    /// The plaintext, or null when there is no value or its subject was erased. A legacy clear value has no subject, so it
    /// opens to null here: read such fields with <see cref="Open(SealedText?, Guid)"/>.
    /// </summary>
    public string? Open(SealedText? value) =>
        value is null || value.IsLegacy ? null : PersonalDataProtector.Open(keys.GetValueOrDefault(value.Subject), value);

    /// <summary>
    /// As <see cref="Open(SealedText?)"/>, for a field that events stored in clear before it was sealed: a legacy clear
    /// value opens to its text while <paramref name="owner"/>'s key exists (load it with the opener), and to null once the
    /// owner is erased, so read models treat old and new events alike.
    /// </summary>
    public string? Open(SealedText? value, Guid owner) =>
        value is { LegacyClearText: { } legacy } ? (CanOpen(owner) ? legacy : null) : Open(value);
}

/// <summary>Seals the personal data of one subject for one command.</summary>
public sealed class PersonalDataSealer(PersonalDataProtector protector, PersonalDataKey key)
{
    public Guid Subject => key.Id;

    public SealedText Seal(string plaintext) => protector.Seal(key, plaintext);

    public SealedText? SealOrNull(string? plaintext) => plaintext is null ? null : Seal(plaintext);

    /// <summary>A keyed hash of <paramref name="value"/> to look it up by (see <see cref="PersonalDataProtector.Lookup"/>).</summary>
    public string Lookup(string purpose, string value) => protector.Lookup(key, purpose, value);
}
