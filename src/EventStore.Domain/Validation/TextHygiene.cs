using System.Globalization;
using System.Text;

namespace EventStore.Domain.Validation;

/// <summary>
/// The one rule every string of every input is held to, whatever field it is and wherever it comes from
/// (docs/security.md, "Input hygiene"):
/// <list type="bullet">
/// <item>no C0 or C1 control character (U+0000-U+001F, U+007F-U+009F); tab, line feed and carriage return only in
/// multi-line text, and the Unicode line and paragraph separators (U+2028, U+2029) likewise;</item>
/// <item>well-formed UTF-16: no unpaired surrogate;</item>
/// <item>no Unicode noncharacter (U+FDD0-U+FDEF, and U+xFFFE/U+xFFFF of every plane);</item>
/// <item>at most the field's <see cref="TextRule.MaxLength"/>, counted after NFC normalization.</item>
/// </list>
/// PostgreSQL cannot store U+0000 in text or jsonb at all, and the rest is refused because no field of ours means it:
/// control characters and noncharacters only ever arrive by mistake or to confuse something downstream (a log, a terminal,
/// a projection, a search index). Text is stored in NFC (<see cref="Normalize"/>), so that canonically equivalent
/// spellings are the same string.
/// </summary>
public static class TextHygiene
{
    private const char Replacement = '\uFFFD';

    /// <summary>The first problem of <paramref name="value"/> under <paramref name="rule"/>, or null when it is acceptable.</summary>
    public static TextViolation? Check(string value, TextRule rule)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                var codePoint = char.ConvertToUtf32(c, value[i + 1]);
                if (IsNoncharacter(codePoint))
                {
                    return new TextViolation(TextProblem.Noncharacter, i, codePoint, value.Length, rule.MaxLength);
                }

                i++;
                continue;
            }

            if (Classify(c, rule.MultiLine) is { } problem)
            {
                return new TextViolation(problem, i, c, value.Length, rule.MaxLength);
            }
        }

        var length = Normalize(value).Length;
        return length > rule.MaxLength ? new TextViolation(TextProblem.TooLong, rule.MaxLength, 0, length, rule.MaxLength) : null;
    }

    /// <summary>The character rule for one code point (a lone surrogate code unit counts as one).</summary>
    public static TextProblem? Classify(int codePoint, bool multiLine) => codePoint switch
    {
        '\n' or '\r' or '\u2028' or '\u2029' => multiLine ? null : TextProblem.LineBreak,
        '\t' => multiLine ? null : TextProblem.ControlCharacter,
        < 0x20 or 0x7F or (>= 0x80 and <= 0x9F) => TextProblem.ControlCharacter,
        >= 0xD800 and <= 0xDFFF => TextProblem.UnpairedSurrogate,
        _ when IsNoncharacter(codePoint) => TextProblem.Noncharacter,
        _ => null,
    };

    /// <summary>The 66 code points Unicode reserves as never-assigned "noncharacters".</summary>
    public static bool IsNoncharacter(int codePoint) =>
        codePoint is >= 0xFDD0 and <= 0xFDEF || (codePoint is >= 0 and <= 0x10FFFF && (codePoint & 0xFFFE) == 0xFFFE);

    /// <summary>
    /// NFC (canonical composition): "e" + U+0301 becomes "é". Text that is not well-formed is returned as it is (.NET cannot
    /// normalize it; <see cref="Check"/> refuses it anyway).
    /// </summary>
    public static string Normalize(string value)
    {
        try
        {
            return value.IsNormalized(NormalizationForm.FormC) ? value : value.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            return value;
        }
    }

    /// <summary>
    /// False when .NET runs in globalization-invariant mode or without ICU: it then leaves text unnormalized without a
    /// word. The API refuses to start that way (docs/operations.md).
    /// </summary>
    public static bool NormalizationAvailable { get; } =
        "e\u0301".Normalize(NormalizationForm.FormC) == "\u00E9";

    /// <summary>
    /// For text from outside our walls that must be recorded anyway (a model's answer, a vendor's error message, a client's
    /// correlation id): what the rule would refuse is replaced instead. Tab and line breaks in single-line text become
    /// spaces, every other refused character U+FFFD; the result is NFC and cut to the rule's length (never inside a
    /// surrogate pair). <paramref name="truncated"/> says whether it was cut.
    /// </summary>
    public static string Scrub(string value, TextRule rule, out bool truncated)
    {
        StringBuilder? clean = null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                var pair = IsNoncharacter(char.ConvertToUtf32(c, value[i + 1])) ? null : value.Substring(i, 2);
                if (pair is null || clean is not null)
                {
                    clean ??= new StringBuilder(value, 0, i, value.Length);
                    clean.Append(pair ?? Replacement.ToString());
                }

                i++;
                continue;
            }

            var problem = Classify(c, rule.MultiLine);
            if (problem is null)
            {
                clean?.Append(c);
                continue;
            }

            clean ??= new StringBuilder(value, 0, i, value.Length);
            clean.Append(problem == TextProblem.LineBreak || c == '\t' ? ' ' : Replacement);
        }

        var normalized = Normalize(clean?.ToString() ?? value);
        truncated = normalized.Length > rule.MaxLength;
        if (!truncated)
        {
            return normalized;
        }

        var cut = Math.Max(rule.MaxLength, 0);
        return normalized[..(cut > 0 && char.IsHighSurrogate(normalized[cut - 1]) ? cut - 1 : cut)];
    }

    public static string Scrub(string value, TextRule rule) => Scrub(value, rule, out _);
}

/// <summary>Why a string was refused. The API reports it as `extensions.reason` (<see cref="TextViolation.Reason"/>).</summary>
public enum TextProblem
{
    ControlCharacter,
    LineBreak,
    UnpairedSurrogate,
    Noncharacter,
    TooLong,
}

/// <param name="Index">Where the offending character is, in UTF-16 code units from 0 (for TooLong: the limit).</param>
/// <param name="Length">The value's length after NFC (for TooLong), else its raw length.</param>
public readonly record struct TextViolation(TextProblem Problem, int Index, int CodePoint, int Length, int MaxLength)
{
    public string Reason => Problem switch
    {
        TextProblem.ControlCharacter => "CONTROL_CHARACTER",
        TextProblem.LineBreak => "LINE_BREAK",
        TextProblem.UnpairedSurrogate => "UNPAIRED_SURROGATE",
        TextProblem.Noncharacter => "NONCHARACTER",
        _ => "TOO_LONG",
    };

    /// <summary>The message for a client: names the field and the character, never echoes the value.</summary>
    public string Describe(string field) => Problem switch
    {
        TextProblem.ControlCharacter => string.Create(CultureInfo.InvariantCulture,
            $"'{field}' must not contain control characters (U+{CodePoint:X4} at index {Index})."),
        TextProblem.LineBreak => string.Create(CultureInfo.InvariantCulture,
            $"'{field}' must be a single line (a line break, U+{CodePoint:X4}, at index {Index})."),
        TextProblem.UnpairedSurrogate => string.Create(CultureInfo.InvariantCulture,
            $"'{field}' is not well-formed Unicode (an unpaired surrogate, U+{CodePoint:X4}, at index {Index})."),
        TextProblem.Noncharacter => string.Create(CultureInfo.InvariantCulture,
            $"'{field}' must not contain Unicode noncharacters (U+{CodePoint:X4} at index {Index})."),
        _ => string.Create(CultureInfo.InvariantCulture, $"'{field}' must be at most {MaxLength} characters long (it has {Length})."),
    };
}
