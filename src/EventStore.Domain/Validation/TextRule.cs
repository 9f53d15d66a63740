namespace EventStore.Domain.Validation;

/// <summary>
/// What one string field accepts (docs/api.md, "Input hygiene"): a single line or several, and at most
/// <see cref="MaxLength"/> characters, counted as UTF-16 code units (as .NET's and JavaScript's string length count them)
/// after NFC normalization.
/// </summary>
public readonly record struct TextRule(int MaxLength, bool MultiLine)
{
    /// <summary>The limit of a string field that declares none: ids, enum values, and other short single-line values.</summary>
    public const int DefaultMaxLength = 256;

    public static TextRule Default => SingleLine(DefaultMaxLength);

    /// <summary>One line: no tab, line feed, carriage return or Unicode line/paragraph separator.</summary>
    public static TextRule SingleLine(int maxLength) => new(maxLength, false);

    /// <summary>Free text such as a chat message, a bio or a prompt: tab, line feed and carriage return are allowed too.</summary>
    public static TextRule MultiLineText(int maxLength) => new(maxLength, true);

    public override string ToString() => MultiLine ? $"multi-line, at most {MaxLength}" : $"single line, at most {MaxLength}";
}

/// <summary>
/// Declares a command's string property (or record parameter) for <see cref="TextHygienePolicy"/>. A string without one
/// is held to <see cref="TextRule.Default"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public abstract class TextRuleAttribute(TextRule rule) : Attribute
{
    public TextRule Rule { get; } = rule;

    public int MaxLength => Rule.MaxLength;
}

/// <summary>One line of at most <paramref name="maxLength"/> characters.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class SingleLineAttribute(int maxLength) : TextRuleAttribute(TextRule.SingleLine(maxLength));

/// <summary>Free text of at most <paramref name="maxLength"/> characters; tab, line feed and carriage return allowed.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class MultiLineAttribute(int maxLength) : TextRuleAttribute(TextRule.MultiLineText(maxLength));
