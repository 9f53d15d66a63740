using System.Text;
using CsCheck;
using EventStore.Domain.Validation;

namespace EventStore.UnitTests.Validation;

/// <summary>The one input rule (docs/security.md, "Input hygiene"): table-driven cases, then properties over random text.</summary>
public sealed class TextHygieneTests
{
    private static readonly TextRule Line = TextRule.SingleLine(1000);
    private static readonly TextRule Lines = TextRule.MultiLineText(1000);

    [Theory]
    [InlineData("plain text")]
    [InlineData("Zoë, ナオキ, Ωμέγα, עִברִית")]
    [InlineData("emoji in a surrogate pair: \U0001F600")]
    [InlineData("")]
    [InlineData("U+FFFD itself is fine: \uFFFD")]
    [InlineData("a zero-width joiner and a bidi mark are text, not controls: \u200D\u200F")]
    public void ordinary_text_passes_on_one_line_and_on_several(string text)
    {
        Assert.Null(TextHygiene.Check(text, Line));
        Assert.Null(TextHygiene.Check(text, Lines));
    }

    [Theory]
    [InlineData("nul\u0000", 3, 0x0000)]
    [InlineData("\u0001start", 0, 0x0001)]
    [InlineData("bell\u0007", 4, 0x0007)]
    [InlineData("escape\u001B[31m", 6, 0x001B)]
    [InlineData("delete\u007F", 6, 0x007F)]
    [InlineData("c1 \u0080", 3, 0x0080)]
    [InlineData("next line \u0085", 10, 0x0085)]
    [InlineData("c1 \u009F", 3, 0x009F)]
    public void control_characters_are_refused_everywhere(string text, int index, int codePoint)
    {
        foreach (var rule in new[] { Line, Lines })
        {
            var violation = Assert.IsType<TextViolation>(TextHygiene.Check(text, rule));
            Assert.Equal(TextProblem.ControlCharacter, violation.Problem);
            Assert.Equal(index, violation.Index);
            Assert.Equal(codePoint, violation.CodePoint);
            Assert.Equal("CONTROL_CHARACTER", violation.Reason);
        }
    }

    [Theory]
    [InlineData("one\ntwo", TextProblem.LineBreak)]
    [InlineData("one\r\ntwo", TextProblem.LineBreak)]
    [InlineData("one\u2028two", TextProblem.LineBreak)]
    [InlineData("one\u2029two", TextProblem.LineBreak)]
    [InlineData("one\ttwo", TextProblem.ControlCharacter)]
    public void tab_and_line_breaks_are_for_multi_line_text_only(string text, TextProblem onOneLine)
    {
        Assert.Equal(onOneLine, TextHygiene.Check(text, Line)?.Problem);
        Assert.Equal(3, TextHygiene.Check(text, Line)?.Index);
        Assert.Null(TextHygiene.Check(text, Lines));
    }

    // A lone surrogate cannot travel in an attribute argument or in xUnit's serialized theory data (it becomes U+FFFD),
    // so each case names the code unit and the test builds the string.
    [Theory]
    [InlineData("lone high ", 0xD800, "")]
    [InlineData("lone high ", 0xD83D, " then text")]
    [InlineData("lone low ", 0xDC00, "")]
    [InlineData("", 0xDE00, "\U0001F600 a low one before a whole pair")]
    public void unpaired_surrogates_are_refused(string before, int codeUnit, string after)
    {
        var text = before + (char)codeUnit + after;

        var violation = Assert.IsType<TextViolation>(TextHygiene.Check(text, Lines));
        Assert.Equal(TextProblem.UnpairedSurrogate, violation.Problem);
        Assert.Equal(before.Length, violation.Index);
        Assert.Equal(codeUnit, violation.CodePoint);
    }

    [Theory]
    [InlineData("\uFFFE", 0xFFFE)]
    [InlineData("x\uFFFF", 0xFFFF)]
    [InlineData("\uFDD0", 0xFDD0)]
    [InlineData("\uFDEF", 0xFDEF)]
    [InlineData("\U0001FFFE", 0x1FFFE)]
    [InlineData("\U0010FFFF", 0x10FFFF)]
    public void noncharacters_are_refused(string text, int codePoint)
    {
        var violation = Assert.IsType<TextViolation>(TextHygiene.Check(text, Lines));
        Assert.Equal(TextProblem.Noncharacter, violation.Problem);
        Assert.Equal(codePoint, violation.CodePoint);
    }

    [Fact]
    public void the_length_limit_counts_utf16_code_units_after_nfc()
    {
        var decomposed = string.Concat(Enumerable.Repeat("e\u0301", 5)); // 10 code units, 5 once composed
        Assert.Null(TextHygiene.Check(decomposed, TextRule.SingleLine(5)));
        Assert.Equal("\u00E9\u00E9\u00E9\u00E9\u00E9", TextHygiene.Normalize(decomposed));

        var tooLong = Assert.IsType<TextViolation>(TextHygiene.Check("abcdef", TextRule.SingleLine(5)));
        Assert.Equal((TextProblem.TooLong, 6, 5), (tooLong.Problem, tooLong.Length, tooLong.MaxLength));
        Assert.Equal("'input.name' must be at most 5 characters long (it has 6).", tooLong.Describe("input.name"));
        Assert.Equal(TextProblem.TooLong, TextHygiene.Check("\U0001F600\U0001F600\U0001F600", TextRule.SingleLine(5))?.Problem);
    }

    [Fact]
    public void a_message_names_the_field_and_the_character_but_never_repeats_the_value()
    {
        var violation = TextHygiene.Check("secret\u0000value", Line)!.Value;

        Assert.Equal("'input.password' must not contain control characters (U+0000 at index 6).", violation.Describe("input.password"));
    }

    [Fact]
    public void normalization_is_available_in_this_process()
    {
        Assert.True(TextHygiene.NormalizationAvailable);
        Assert.Equal("Zo\u00E9", TextHygiene.Normalize("Zoe\u0301"));
        Assert.Equal("lone \uD800", TextHygiene.Normalize("lone \uD800")); // not well-formed: left as it is, Check refuses it
    }

    [Theory]
    [InlineData("a\u0000b", "a\uFFFDb")]
    [InlineData("one\ntwo\tthree", "one two three")]
    [InlineData("non\uFFFFchar \U0001FFFF", "non\uFFFDchar \uFFFD")]
    [InlineData("Zoe\u0301 \U0001F600", "Zo\u00E9 \U0001F600")]
    public void scrub_replaces_what_check_refuses_on_one_line(string text, string expected) =>
        Assert.Equal(expected, TextHygiene.Scrub(text, Line));

    [Fact]
    public void scrub_keeps_line_breaks_in_multi_line_text_and_cuts_without_splitting_a_pair()
    {
        Assert.Equal("lone \uFFFD high", TextHygiene.Scrub("lone " + '\uD800' + " high", Line));
        Assert.Equal("one\ntwo", TextHygiene.Scrub("one\ntwo", Lines));

        var cut = TextHygiene.Scrub("ab\U0001F600", TextRule.SingleLine(3), out var truncated);
        Assert.True(truncated);
        Assert.Equal("ab", cut);
        Assert.Equal("abc", TextHygiene.Scrub("abcdef", TextRule.SingleLine(3)));
        Assert.False(TextHygiene.Scrub("abc", TextRule.SingleLine(3), out var kept) != "abc" || kept);
    }

    // Properties: thousands of random strings each (CsCheck shrinks a failure to a minimal example).

    private const int Iterations = 10_000;

    /// <summary>Any UTF-16 text, valid or not, weighted towards the characters the rule is about.</summary>
    private static readonly Gen<string> AnyText = Gen.String[Gen.Frequency(
        (4, (IGen<char>)Gen.Char['a', 'z']),
        (2, Gen.Char['\u0000', '\u00A0']),
        (1, Gen.Char['\uD800', '\uDFFF']),
        (1, Gen.Char["\uFFFE\uFFFF\uFDD0\u2028\u2029e\u0301\u00E9"]),
        (2, Gen.Char)), 0, 40];

    /// <summary>Text the rule accepts on one line: letters, accents, CJK, pairs; nothing it refuses.</summary>
    private static readonly Gen<string> CleanLine = Gen.Frequency(
        (4, (IGen<string>)Gen.Char['\u0020', '\u007E'].Select(c => c.ToString())),
        (2, Gen.Char['\u00A0', '\u024F'].Select(c => c.ToString())),
        (1, Gen.Char['\u4E00', '\u9FFF'].Select(c => c.ToString())),
        (1, Gen.Int[0x1F300, 0x1FAFF].Select(char.ConvertFromUtf32)),
        (1, Gen.OneOf("e\u0301", "\u0301")))
        .Array[0, 30].Select(parts => string.Concat(parts));

    private static readonly Gen<(TextProblem Problem, string Bad)> Forbidden = Gen.OneOf(
        (TextProblem.ControlCharacter, "\u0000"), (TextProblem.ControlCharacter, "\u001F"), (TextProblem.ControlCharacter, "\u007F"),
        (TextProblem.ControlCharacter, "\u0085"), (TextProblem.ControlCharacter, "\t"), (TextProblem.LineBreak, "\n"),
        (TextProblem.LineBreak, "\r"), (TextProblem.LineBreak, "\u2028"), (TextProblem.UnpairedSurrogate, "\uD800"),
        (TextProblem.UnpairedSurrogate, "\uDFFF"), (TextProblem.Noncharacter, "\uFFFE"), (TextProblem.Noncharacter, "\uFDD5"),
        (TextProblem.Noncharacter, "\U0002FFFF"));

    [Fact]
    public void clean_text_always_passes() =>
        CleanLine.Sample(text => Assert.Null(TextHygiene.Check(text, TextRule.SingleLine(1000))), iter: Iterations);

    [Fact]
    public void one_forbidden_character_anywhere_in_clean_text_is_found_where_it_is()
    {
        var gen = from prefix in CleanLine
                  from bad in Forbidden
                  from suffix in CleanLine
                  select (prefix, bad, suffix);
        gen.Sample(x =>
        {
            // A lone surrogate next to a pair half would pair up; the suffix starts with a plain letter to keep it lone.
            var text = x.prefix + x.bad.Bad + "x" + x.suffix;
            var violation = Assert.IsType<TextViolation>(TextHygiene.Check(text, TextRule.SingleLine(1000)));
            Assert.Equal(x.bad.Problem, violation.Problem);
            Assert.Equal(x.prefix.Length, violation.Index);
        }, iter: Iterations);
    }

    [Fact]
    public void scrubbed_text_always_passes_the_rule_it_was_scrubbed_for_and_scrubbing_again_changes_nothing()
    {
        var gen = from text in AnyText
                  from max in Gen.Int[0, 50]
                  from multiLine in Gen.Bool
                  select (text, rule: new TextRule(max, multiLine));
        gen.Sample(x =>
        {
            var scrubbed = TextHygiene.Scrub(x.text, x.rule);
            Assert.Null(TextHygiene.Check(scrubbed, x.rule));
            Assert.Equal(scrubbed, TextHygiene.Scrub(scrubbed, x.rule));
        }, iter: Iterations);
    }

    [Fact]
    public void text_the_rule_accepts_is_kept_by_scrub_up_to_normalization()
    {
        var gen = from text in AnyText
                  from multiLine in Gen.Bool
                  select (text, rule: new TextRule(1000, multiLine));
        gen.Sample(x =>
        {
            if (TextHygiene.Check(x.text, x.rule) is null)
            {
                Assert.Equal(x.text.Normalize(NormalizationForm.FormC), TextHygiene.Scrub(x.text, x.rule));
            }
        }, iter: Iterations);
    }

    [Fact]
    public void check_agrees_with_the_character_classes_of_every_code_point()
    {
        var codePoints = Gen.Frequency((1, (IGen<int>)Gen.Int[0, 0xFF]), (1, Gen.Int[0, 0xFFFF]), (1, Gen.Int[0, 0x10FFFF]));
        codePoints.Sample(codePoint =>
        {
            TextProblem? expected = codePoint switch
            {
                '\t' or '\n' or '\r' or 0x2028 or 0x2029 => null,
                < 0x20 or (>= 0x7F and <= 0x9F) => TextProblem.ControlCharacter,
                >= 0xD800 and <= 0xDFFF => TextProblem.UnpairedSurrogate,
                >= 0xFDD0 and <= 0xFDEF => TextProblem.Noncharacter,
                _ when (codePoint & 0xFFFF) >= 0xFFFE => TextProblem.Noncharacter,
                _ => null,
            };
            var text = codePoint is >= 0xD800 and <= 0xDFFF ? ((char)codePoint).ToString() : char.ConvertFromUtf32(codePoint);

            Assert.Equal(expected, TextHygiene.Check(text, TextRule.MultiLineText(10))?.Problem);
            Assert.Equal(expected, TextHygiene.Classify(codePoint, multiLine: true));
        }, iter: Iterations);
    }
}
