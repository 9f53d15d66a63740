using System.Security.Cryptography;
using System.Text;

namespace EventStore.Projections.Analytics;

/// <summary>
/// Keyed pseudonyms for the analytics tables: HMAC-SHA256 under a secret key from configuration
/// (`Analytics:PseudonymKey`), so the same user is the same trader id in every table and every rebuild, but no one
/// without the key can map it back to a user id (unlike a plain hash, which anyone can compute from a known id).
/// </summary>
public sealed class AnalyticsPseudonyms
{
    public const int KeyBytes = 32;

    /// <summary>The author of the assistant's own replies in rooms: a system actor, not a person, so not a pseudonym.</summary>
    public const string AssistantAuthor = "assistant";

    private readonly byte[] _key;

    public AnalyticsPseudonyms(byte[] key)
    {
        if (key.Length < KeyBytes)
        {
            throw new ArgumentException($"The pseudonym key must be at least {KeyBytes} bytes.", nameof(key));
        }

        _key = key;
    }

    /// <summary>A trader: "t_" and 32 hex digits (128 bits of the MAC).</summary>
    public string Trader(Guid userId) => "t_" + Mac("user:" + userId.ToString("D"));

    /// <summary>A fill: its row key, so even the fact tables carry no id that appears in the event store.</summary>
    public string Fill(Guid fillId) => "f_" + Mac("fill:" + fillId.ToString("D"));

    /// <summary>A chat room: "r_" and 32 hex digits. Room names never reach analytics.</summary>
    public string Room(Guid roomId) => "r_" + Mac("room:" + roomId.ToString("D"));

    /// <summary>A chat message: its row key.</summary>
    public string Message(Guid messageId) => "m_" + Mac("message:" + messageId.ToString("D"));

    /// <summary>An assistant interaction (one AI request): its row key.</summary>
    public string Post(Guid postId) => "p_" + Mac("post:" + postId.ToString("D"));

    public string Comment(Guid commentId) => "c_" + Mac("comment:" + commentId.ToString("D"));

    /// <summary>One like or unlike event (a user may like, unlike and like again: each is a fact).</summary>
    public string LikeEvent(Guid eventId) => "l_" + Mac("like-event:" + eventId.ToString("D"));

    public string Interaction(Guid interactionId) => "i_" + Mac("interaction:" + interactionId.ToString("D"));

    private string Mac(string value) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(value)), 0, 16);
}
