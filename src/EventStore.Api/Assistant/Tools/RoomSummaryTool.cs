using System.Text.RegularExpressions;
using EventStore.Domain.Chat;
using EventStore.Projections.Chat;
using EventStore.Projections.Users;
using Marten;

namespace EventStore.Api.Assistant.Tools;

/// <summary>
/// A summary of the recent messages of the room the question was asked in (never another room's): its readers may hear
/// it. The assistant's own replies are left out, so an earlier answer is never fed back in.
/// </summary>
public sealed partial class RoomSummaryTool : IAssistantTool
{
    public string Name => "room_summary";

    public ToolData Data => ToolData.RoomMessages;

    public bool TouchesTrading => false;

    public Task<IReadOnlyList<string>> SelectAsync(IQuerySession session, AssistantQuestion question, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<string>>(question.Room is { } room && Words().IsMatch(question.Prompt)
            ? [$$"""{"roomId":"{{room.Id}}"}"""]
            : []);

    public async Task<string> RunAsync(IQuerySession session, AssistantQuestion question, string arguments, CancellationToken ct)
    {
        var roomId = question.Room!.Id;
        var messages = await session.Query<ChatMessageView>()
            .Where(x => x.RoomId == roomId && !x.Deleted && x.AuthorId != ChatIds.AssistantUserId)
            .OrderByDescending(x => x.PostedAt).Take(20).ToListAsync(ct);
        if (messages.Count == 0)
        {
            return "The room has no messages yet.";
        }

        var authors = messages.Select(m => m.AuthorId).Distinct().ToArray();
        var names = (await session.LoadManyAsync<UserProfile>(ct, authors)).ToDictionary(p => p.Id, p => p.Username);
        var lines = messages.Take(5).Select(m =>
            $"{names.GetValueOrDefault(m.AuthorId, "someone")}: \"{Shorten(m.Text ?? "", 80)}\"");
        return $"The last {messages.Count} messages come from {authors.Length} people. Latest first: {string.Join("; ", lines)}.";
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    [GeneratedRegex(@"(summar\w*|recap|catch (me )?up|what did i miss|tl;?dr)", RegexOptions.IgnoreCase)]
    private static partial Regex Words();
}
