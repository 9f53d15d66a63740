using System.Globalization;
using System.Text;
using EventStore.Domain.Validation;

namespace EventStore.Domain.Files;

/// <summary>
/// The name a file is stored and served under, made from whatever the client sent: the last path segment only, NFC, no
/// control character, line break, noncharacter, lone surrogate or character that means something to a file system or a
/// header (<c>/ \ : * ? " &lt; &gt; |</c>), no leading or trailing dots and spaces, at most <see cref="MaxLength"/>
/// characters (whole text elements), and an extension that matches the sniffed type (appended when it does not).
/// </summary>
public static class FileNames
{
    public const int MaxLength = 200;
    private const string Fallback = "file";

    public static string Sanitize(string? clientName, string contentType)
    {
        var name = clientName ?? "";
        name = name[(name.LastIndexOfAny(['/', '\\']) + 1)..];
        var clean = new StringBuilder(name.Length);
        foreach (var rune in TextHygiene.Normalize(name).EnumerateRunes())
        {
            var bad = rune.IsBmp && TextHygiene.Classify(rune.Value, multiLine: false) is not null
                || !rune.IsBmp && TextHygiene.IsNoncharacter(rune.Value)
                || rune.Value is ':' or '*' or '?' or '"' or '<' or '>' or '|' or '\u2028' or '\u2029';
            clean.Append(bad ? "_" : rune.ToString());
        }

        var stem = clean.ToString().Trim().Trim('.').Trim();
        var current = Path.GetExtension(stem);
        var kept = FileTypes.IsExtensionOf(current.ToLowerInvariant(), contentType) ? current : "";
        var suffix = kept.Length > 0 ? kept : FileTypes.Extension(contentType);
        var baseName = Truncate(stem[..^kept.Length], MaxLength - suffix.Length);
        return (baseName.Length == 0 ? Fallback : baseName) + suffix;
    }

    private static string Truncate(string value, int max)
    {
        if (value.Length <= max)
        {
            return value;
        }

        var cut = 0;
        var elements = StringInfo.GetTextElementEnumerator(value);
        while (elements.MoveNext() && elements.ElementIndex + elements.GetTextElement().Length <= max)
        {
            cut = elements.ElementIndex + elements.GetTextElement().Length;
        }

        return value[..cut].TrimEnd('.', ' ');
    }
}
