using EventStore.Domain.Validation;
using GraphQL;
using GraphQL.Builders;
using GraphQL.Types;

namespace EventStore.Api.GraphQL.Hygiene;

/// <summary>
/// Declares what a String input (an argument or an input object field) accepts: one line or several, and how long.
/// <see cref="InputHygieneRule"/> reads it; a String input that declares nothing fails <c>InputHygieneSchemaTests</c>.
/// Other scalars (ID, enums, Decimal, dates) carry <see cref="TextRule.Default"/> unless they declare more.
/// </summary>
public static class TextInputs
{
    private const string Key = "EventStore.TextRule";

    public static FieldBuilder<TSource, TReturn> SingleLine<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field, int maxLength) =>
        field.WithMetadata(Key, TextRule.SingleLine(maxLength));

    public static FieldBuilder<TSource, TReturn> MultiLine<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field, int maxLength) =>
        field.WithMetadata(Key, TextRule.MultiLineText(maxLength));

    public static QueryArgument SingleLine(this QueryArgument argument, int maxLength) =>
        argument.WithMetadata(Key, TextRule.SingleLine(maxLength));

    public static QueryArgument MultiLine(this QueryArgument argument, int maxLength) =>
        argument.WithMetadata(Key, TextRule.MultiLineText(maxLength));

    /// <summary>The rule an argument or input field declared, if any.</summary>
    public static TextRule? DeclaredTextRule(this IProvideMetadata element) =>
        element.HasMetadata(Key) ? element.GetMetadata<TextRule>(Key) : null;

    /// <summary>The rule for the strings given to an argument or input field (unknown ones included: the default).</summary>
    public static TextRule TextRuleOf(IProvideMetadata? element) => element?.DeclaredTextRule() ?? TextRule.Default;
}
