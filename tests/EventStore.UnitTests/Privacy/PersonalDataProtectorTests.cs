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
    public void a_lookup_hash_is_stable_per_user_and_purpose_and_tells_nothing_about_the_value()
    {
        var alice = SealerFor(Alice);

        var hash = alice.Lookup("client-order-id", "order-1");

        Assert.Equal(hash, alice.Lookup("client-order-id", "order-1"));
        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.NotEqual(hash, alice.Lookup("client-order-id", "order-2"));
        Assert.NotEqual(hash, alice.Lookup("idempotency-key", "order-1"));
        Assert.NotEqual(hash, SealerFor(Bob).Lookup("client-order-id", "order-1"));
    }

    [Fact]
    public void an_erased_key_computes_no_lookup_hash()
    {
        var key = Protector.NewKey(Alice, DateTimeOffset.UnixEpoch);
        key.WrappedKey = null;

        Assert.Throws<EventStore.Domain.ConflictException>(() => Protector.Lookup(key, "client-order-id", "order-1"));
    }

    [Fact]
    public void a_field_stored_in_clear_before_it_was_sealed_reads_and_opens_only_while_its_owner_exists()
    {
        var legacy = JsonSerializer.Deserialize<SealedText>("\"legacy-7\"")!;

        Assert.True(legacy.IsLegacy);
        Assert.Equal("\"legacy-7\"", JsonSerializer.Serialize(legacy)); // written back in the shape it was read
        Assert.Equal("legacy-7", OpenerFor(Alice).Open(legacy, owner: Alice));
        Assert.Null(OpenerFor(Bob).Open(legacy, owner: Alice));
        Assert.Null(ErasedOpener.Open(legacy, owner: Alice));
        Assert.Null(OpenerFor(Alice).Open(legacy)); // no owner given: fails closed
        Assert.DoesNotContain("legacy-7", legacy.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void a_key_encryption_key_of_the_wrong_size_is_refused() =>
        Assert.Throws<ArgumentException>(() => new PersonalDataProtector(new byte[16]));
}
