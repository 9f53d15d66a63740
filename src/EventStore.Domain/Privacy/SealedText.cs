using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventStore.Domain.Privacy;

/// <summary>
/// Personal data as events store it: AES-256-GCM ciphertext under the data subject's own key (crypto-shredding).
/// Erasing the subject deletes the key; the event, and the hash chain over it, stay exactly as they were.
/// </summary>
/// <remarks>
/// Stored as <c>{"$personal":"v1","subject":"&lt;uuid&gt;","ciphertext":"&lt;base64&gt;"}</c>: self-describing, so
/// any reader (auditor API, live feed) can find and open sealed values in an event without knowing its type.
/// The ciphertext is base64(nonce[12] || tag[16] || AES-GCM(plaintext UTF-8)); the subject id is the associated
/// data, so a value cannot be moved to another subject's event and still open. docs/compliance.md has the format.
/// </remarks>
[JsonConverter(typeof(SealedTextJsonConverter))]
public sealed record SealedText(Guid Subject, string Ciphertext)
{
    public const string Marker = "$personal";
    public const string FormatVersion = "v1";

    /// <summary>
    /// Set only when read from a field that events stored as a clear JSON string before the field was sealed (a client
    /// order id, a room name: docs/events.md#fields-sealed-after-they-shipped). Such a value has no subject and no
    /// ciphertext; it opens for as long as its owner's key exists (<see cref="PersonalDataOpener.Open(SealedText?, Guid)"/>).
    /// New code never creates one: sealing always encrypts.
    /// </summary>
    public string? LegacyClearText { get; private init; }

    public bool IsLegacy => LegacyClearText is not null;

    public static SealedText FromLegacyClearText(string text) => new(Guid.Empty, "") { LegacyClearText = text };

    // Never print ciphertext (or legacy clear text) into logs by accident either.
    public override string ToString() => IsLegacy ? "SealedText { legacy clear text }" : $"SealedText {{ Subject = {Subject} }}";

    /// <summary>True when <paramref name="element"/> is a sealed value in the stored JSON form.</summary>
    public static bool IsSealed(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object
        && element.TryGetProperty(Marker, out var marker)
        && marker.ValueKind == JsonValueKind.String;

    public static SealedText FromJson(JsonElement element)
    {
        var version = element.GetProperty(Marker).GetString();
        if (version != FormatVersion)
        {
            throw new JsonException($"Unknown sealed personal data format '{version}'.");
        }

        return new SealedText(element.GetProperty("subject").GetGuid(), element.GetProperty("ciphertext").GetString()!);
    }
}

public sealed class SealedTextJsonConverter : JsonConverter<SealedText>
{
    public override SealedText? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            // A field stored in clear before it was sealed: read it as it is (backwards-compatible read).
            return SealedText.FromLegacyClearText(reader.GetString()!);
        }

        using var document = JsonDocument.ParseValue(ref reader);
        return SealedText.FromJson(document.RootElement);
    }

    public override void Write(Utf8JsonWriter writer, SealedText value, JsonSerializerOptions options)
    {
        if (value.LegacyClearText is { } legacy)
        {
            writer.WriteStringValue(legacy); // written back exactly as it was read
            return;
        }

        writer.WriteStartObject();
        writer.WriteString(SealedText.Marker, SealedText.FormatVersion);
        writer.WriteString("subject", value.Subject);
        writer.WriteString("ciphertext", value.Ciphertext);
        writer.WriteEndObject();
    }
}
