using EventStore.Domain.Assistant;
using EventStore.Domain.Assistant.Asking;
using EventStore.Domain.Chat.Messages;
using EventStore.Domain.MarketData;
using EventStore.Domain.Users.Registering;
using EventStore.Domain.Validation;

namespace EventStore.UnitTests.Validation;

/// <summary>How TextHygienePolicy finds a command's strings: declared rules, the default, nesting and lists.</summary>
public sealed class MessageTextsTests
{
    private sealed record Inner([MultiLine(20)] string Note, string Tag);

    private sealed record Command(
        Guid Id, [SingleLine(5)] string Name, string? Free, IReadOnlyList<string> Tags, Inner Detail, IReadOnlyList<Inner> Items,
        decimal Amount)
    {
        [SingleLine(3)]
        public string Code { get; init; } = "ok";
    }

    private static Command Clean() =>
        new(Guid.NewGuid(), "name", null, ["a", "b"], new Inner("two\nlines", "tag"), [new Inner("", "x")], 1m);

    [Fact]
    public void a_clean_command_passes() => Assert.Empty(MessageTexts.Check(Clean()));

    [Fact]
    public void every_offending_string_is_named_by_its_path_with_the_reason_as_error_code()
    {
        var command = Clean() with
        {
            Name = "toolong",
            Free = "nul\u0000",
            Tags = ["fine", "line\nbreak"],
            Detail = new Inner("non\uFFFFchar", "tag"),
            Items = [new Inner("ok", "ok"), new Inner("ok", new string('x', TextRule.DefaultMaxLength + 1))],
            Code = "abcd",
        };

        var failures = MessageTexts.Check(command).Select(f => (f.PropertyName, f.ErrorCode)).ToList();

        Assert.Equal(
            [
                ("Name", "TOO_LONG"), ("Free", "CONTROL_CHARACTER"), ("Tags[1]", "LINE_BREAK"), ("Detail.Note", "NONCHARACTER"),
                ("Items[1].Tag", "TOO_LONG"), ("Code", "TOO_LONG"),
            ],
            failures);
    }

    [Fact]
    public void the_rules_of_a_type_are_listed_with_nested_paths()
    {
        var rules = MessageTexts.Describe(typeof(Command));

        Assert.Contains(("Name", TextRule.SingleLine(5)), rules);
        Assert.Contains(("Free", TextRule.Default), rules);
        Assert.Contains(("Detail.Note", TextRule.MultiLineText(20)), rules);
        Assert.Contains(("Items.Tag", TextRule.Default), rules);
        Assert.Contains(("Code", TextRule.SingleLine(3)), rules);
        Assert.False(MessageTexts.HasText(typeof(Guid)));
    }

    [Fact]
    public void the_real_commands_declare_their_long_and_multi_line_fields()
    {
        Assert.Contains(("DisplayName", TextRule.SingleLine(64)), MessageTexts.Describe(typeof(RegisterUser)));
        Assert.Contains(("Text", TextRule.MultiLineText(4000)), MessageTexts.Describe(typeof(PostMessage)));
        Assert.Contains(("Tools.ResultSummary", TextRule.MultiLineText(AssistantRules.MaxContextLength)),
            MessageTexts.Describe(typeof(SubmitPrompt)));
        Assert.Contains(("Quote.Symbol", TextRule.Default), MessageTexts.Describe(typeof(RecordQuote)));
    }

    [Fact]
    public void a_registration_with_a_nul_in_its_display_name_fails_on_that_field_only()
    {
        var command = new RegisterUser(Guid.NewGuid(), "alice", "alice@example.com", "a-long-enough-password", "Al\u0000ice");

        var failure = Assert.Single(MessageTexts.Check(command));
        Assert.Equal(("DisplayName", "CONTROL_CHARACTER"), (failure.PropertyName, failure.ErrorCode));
        Assert.Equal("'DisplayName' must not contain control characters (U+0000 at index 2).", failure.ErrorMessage);
    }

    [Fact]
    public void a_chat_message_may_hold_line_breaks_a_prompt_context_too()
    {
        Assert.Empty(MessageTexts.Check(new PostMessage(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "line one\nline two")));
        Assert.Empty(MessageTexts.Check(new SubmitPrompt(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), true, null, null,
            "what\nnow?", "context\n[tool] result", [new ToolCall("quote", "{}", "AAPL:\n 1.00")])));
    }
}
