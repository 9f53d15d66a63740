using EventStore.Domain.Privacy;

namespace EventStore.UnitTests;

/// <summary>
/// Real AES-GCM sealing for unit tests: one fixed key-encryption key and one data key per subject, created on first
/// use. Sealed values differ on every call (random nonces), so tests compare opened plaintext, never ciphertext.
/// </summary>
internal static class PersonalDataFixture
{
    public static readonly PersonalDataProtector Protector = new(Enumerable.Range(1, PersonalDataProtector.KeyBytes).Select(i => (byte)i).ToArray());

    private static readonly Dictionary<Guid, PersonalDataKey> Keys = [];
    private static readonly Lock Gate = new();

    public static PersonalDataKey KeyOf(Guid subject)
    {
        lock (Gate)
        {
            if (!Keys.TryGetValue(subject, out var key))
            {
                key = Protector.NewKey(subject, DateTimeOffset.UnixEpoch);
                Keys[subject] = key;
            }

            return key;
        }
    }

    public static PersonalDataSealer SealerFor(Guid subject) => new(Protector, KeyOf(subject));

    public static SealedText Seal(Guid subject, string plaintext) => SealerFor(subject).Seal(plaintext);

    public static SealedText? SealOrNull(Guid subject, string? plaintext) => SealerFor(subject).SealOrNull(plaintext);

    public static PersonalDataOpener OpenerFor(params Guid[] subjects) => Protector.OpenerFor(subjects.Select(KeyOf));

    /// <summary>An opener that knows no key: what every reader holds after an erasure.</summary>
    public static PersonalDataOpener ErasedOpener { get; } = Protector.OpenerFor([]);

    public static string? Open(SealedText? value) => value is null ? null : OpenerFor(value.Subject).Open(value);
}
