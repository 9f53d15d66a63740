using System.Security.Cryptography;
using System.Text;

namespace EventStore.Domain.Notifications;

/// <summary>Write model of one notification: only what the deciders need.</summary>
public sealed class Notification
{
    /// <summary>Notifications are written by us from templates; these bounds are generous (TextHygienePolicy).</summary>
    public const int TitleMaxLength = 200;

    public const int BodyMaxLength = 2000;

    public Guid Id { get; private set; }
    public Guid UserId { get; private set; }
    public bool IsRead { get; private set; }

    public static Notification Create(NotificationCreated e) => new() { Id = e.NotificationId, UserId = e.UserId };

    public void Apply(NotificationRead e) => IsRead = true;
}

/// <summary>Write model of a user's channel choices (live aggregation of the preferences stream).</summary>
public sealed class NotificationPreferences
{
    public Guid Id { get; private set; }
    public bool Email { get; private set; }
    public bool Sms { get; private set; }

    public void Apply(NotificationPreferencesChanged e)
    {
        Id = NotificationIds.PreferencesOf(e.UserId);
        Email = e.Email;
        Sms = e.Sms;
    }
}

/// <summary>
/// Where SMS go: a phone number is personal data, so it is a document (deleted on erasure), never an event.
/// E-mail addresses stay with the Users module (<see cref="Users.UserAccount"/>).
/// </summary>
public sealed class NotificationContact
{
    public Guid Id { get; set; }
    public string? PhoneNumber { get; set; }
}

/// <summary>Name-based ids (UUID version 5 style): one notification per integration event and recipient, one preferences stream per user.</summary>
public static class NotificationIds
{
    private static readonly Guid Namespace = new("0d7c8f7e-1f9b-4d5e-a7a8-5c2e6b4f3a91");

    public static Guid For(Guid sourceEventId, Guid userId) => Create($"notification:{sourceEventId:N}:{userId:N}");

    public static Guid PreferencesOf(Guid userId) => Create($"preferences:{userId:N}");

    private static Guid Create(string name)
    {
        Span<byte> input = stackalloc byte[16 + Encoding.UTF8.GetByteCount(name)];
        Namespace.TryWriteBytes(input, bigEndian: true, out _);
        Encoding.UTF8.GetBytes(name, input[16..]);
#pragma warning disable CA5350 // SHA-1 is what name-based UUIDs specify; this is an identifier, not security.
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
