using EventStore.Domain.Users;
using Marten;

namespace EventStore.Domain.Chat;

/// <summary>Shape limits and lookups shared by the Chat use cases.</summary>
public static class ChatRules
{
    public const int RoomNameMaxLength = 80;

    /// <summary>The ids of the registered users among the mentioned names (unknown names stay plain text).</summary>
    public static async Task<IReadOnlyList<Guid>> ResolveMentionsAsync(IQuerySession session, string text, CancellationToken ct)
    {
        var names = MessageText.MentionedNames(text).Where(n => n != ChatIds.AssistantName).ToArray();
        if (names.Length == 0)
        {
            return [];
        }

        var accounts = await session.Query<UserAccount>().Where(x => names.Contains(x.Username)).ToListAsync(ct);
        return [.. names.Select(n => accounts.FirstOrDefault(a => a.Username == n)?.Id).OfType<Guid>()];
    }

    public static async Task MustBeRegisteredAsync(IQuerySession session, Guid userId, CancellationToken ct)
    {
        if (await session.LoadAsync<UserAccount>(userId, ct) is null)
        {
            throw new NotFoundException("User not found.");
        }
    }
}
