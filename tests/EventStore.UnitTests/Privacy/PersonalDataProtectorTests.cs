using System.Security.Cryptography;
using System.Text.Json;
using EventStore.Domain.Privacy;
using static EventStore.UnitTests.PersonalDataFixture;

namespace EventStore.UnitTests.Privacy;

public sealed class PersonalDataProtectorTests
{
    private static readonly Guid Alice = Guid.Parse("0197a5c4-0000-7000-8000-00000000a11c");
    private static readonly Guid Bob = Guid.Parse("0197a5c4-0000-7000-8000-000000000b0b");

    [Fact]
    public void a_sealed_value_opens_with_its_subjects_key_only()
    {
        var sealedText = Seal(Alice, "alice@example.com");

        Assert.Equal("alice@example.com", OpenerFor(Alice).Open(sealedText));
        Assert.Null(OpenerFor(Bob).Open(sealedText));
        Assert.Null(ErasedOpener.Open(sealedText));
    }

    [Fact]
    public void sealing_the_same_text_twice_gives_different_ciphertexts() =>
        Assert.NotEqual(Seal(Alice, "same").Ciphertext, Seal(Alice, "same").Ciphertext);

    [Fact]
    public void an_altered_ciphertext_does_not_open()
    {
        var sealedText = Seal(Alice, "alice@example.com");
        var bytes = Convert.FromBase64String(sealedText.Ciphertext);
        bytes[^1] ^= 0x01;

        Assert.ThrowsAny<CryptographicException>(() => OpenerFor(Alice).Open(sealedText with { Ciphertext = Convert.ToBase64String(bytes) }));
    }

    [Fact]
    public void a_value_moved_to_another_subject_does_not_open_with_that_subjects_key()
    {
        // The subject id is the associated data: relabelling Alice's ciphertext as Bob's is detected.
        var moved = Seal(Alice, "alice@example.com") with { Subject = Bob };

        Assert.ThrowsAny<CryptographicException>(() => OpenerFor(Bob).Open(moved));
    }

    [Fact]
    public void an_erased_key_opens_nothing_and_seals_nothing()
    {
        var key = Protector.NewKey(Alice, DateTimeOffset.UnixEpoch);
        var sealedText = Protector.Seal(key, "alice@example.com");
        key.WrappedKey = null;

        Assert.Null(Protector.OpenerFor([key]).Open(sealedText));
        Assert.Throws<EventStore.Domain.ConflictException>(() => Protector.Seal(key, "again"));
    }

    [Fact]
    public void a_different_key_encryption_key_cannot_unwrap_the_data_keys()
    {
        var key = Protector.NewKey(Alice, DateTimeOffset.UnixEpoch);
        var other = new PersonalDataProtector(RandomNumberGenerator.GetBytes(PersonalDataProtector.KeyBytes));

        Assert.ThrowsAny<CryptographicException>(() => other.OpenerFor([key]));
    }

    [Fact]
    public void the_stored_form_is_self_describing_and_round_trips()
    {
        var sealedText = Seal(Alice, "Alice");

        var json = JsonSerializer.Serialize(new { name = sealedText });
        using var document = JsonDocument.Parse(json);
        var stored = document.RootElement.GetProperty("name");

        Assert.True(SealedText.IsSealed(stored));
        Assert.Equal(["$personal", "subject", "ciphertext"], stored.EnumerateObject().Select(p => p.Name));
        Assert.Equal("v1", stored.GetProperty("$personal").GetString());
        Assert.Equal(sealedText, JsonSerializer.Deserialize<SealedText>(stored.GetRawText()));
        Assert.DoesNotContain("Alice", json, StringComparison.Ordinal);
    }

    [Fact]
    public void a_key_encryption_key_of_the_wrong_size_is_refused() =>
        Assert.Throws<ArgumentException>(() => new PersonalDataProtector(new byte[16]));
}
