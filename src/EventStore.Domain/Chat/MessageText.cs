using System.Text.RegularExpressions;
using FluentValidation;

namespace EventStore.Domain.Chat;

/// <summary>
/// The one place that handles message text: its shape rule, how it is stored (trimmed) and the mentions parsed from it.
/// Encrypting message text per author (GDPR crypto-shredding) later starts here and at the events' `Text` field.
/// </summary>
public static partial class MessageText
{
    public const int MaxLength = 4000;

    public static IRuleBuilderOptions<T, string> ValidMessageText<T>(this IRuleBuilderInitial<T, string> rule) =>
        rule.Cascade(CascadeMode.Stop).NotEmpty().Must(t => t.Trim().Length > 0).WithMessage("'{PropertyName}' must not be blank.")
            .MaximumLength(MaxLength);

    public static string Normalize(string text) => text.Trim();

    /// <summary>The lower-cased usernames named as <c>@name</c>, once each, in order of first appearance.</summary>
    public static IReadOnlyList<string> MentionedNames(string text) =>
        Mention().Matches(text).Select(m => m.Groups["name"].Value.TrimEnd('.', '-').ToLowerInvariant())
            .Where(n => n.Length > 0).Distinct().ToList();

    public static bool MentionsAssistant(string text) => MentionedNames(text).Contains(ChatIds.AssistantName);

    /// <summary>What the assistant is asked: the text without its <c>@assistant</c> mentions, or all of it if nothing else is left.</summary>
    public static string AssistantPrompt(string text) => WithoutAssistantMention(text) is { Length: > 0 } question ? question : text;

    /// <summary>The text without the <c>@assistant</c> mentions.</summary>
    public static string WithoutAssistantMention(string text) =>
        Mention().Replace(text, m => m.Groups["name"].Value.Equals(ChatIds.AssistantName, StringComparison.OrdinalIgnoreCase)
            ? "" : m.Value).Trim();

    // A mention starts the text or follows a character that cannot be part of an e-mail address or a name.
    [GeneratedRegex(@"(?<![A-Za-z0-9_.@-])@(?<name>[A-Za-z0-9][A-Za-z0-9_.-]{0,31})")]
    private static partial Regex Mention();
}
