using EventStore.Domain.Chat;

namespace EventStore.UnitTests.Chat;

public sealed class MessageTextTests
{
    [Theory]
    [InlineData("hi @Alice and @bob.", new[] { "alice", "bob" })]
    [InlineData("@alice @ALICE @alice", new[] { "alice" })]
    [InlineData("mail alice@example.com or @carol_1", new[] { "carol_1" })]
    [InlineData("no mentions @ all", new string[0])]
    [InlineData("(@dave) and @eve-", new[] { "dave", "eve" })]
    public void mentions_are_the_lower_cased_names_after_an_at_sign_once_each(string text, string[] names) =>
        Assert.Equal(names, MessageText.MentionedNames(text));

    [Theory]
    [InlineData("@assistant what is up?", true)]
    [InlineData("hey @Assistant", true)]
    [InlineData("assistant@example.com", false)]
    [InlineData("@assistants", false)]
    public void the_assistant_is_mentioned_by_its_name(string text, bool mentioned) =>
        Assert.Equal(mentioned, MessageText.MentionsAssistant(text));

    [Theory]
    [InlineData("@assistant what is AAPL at?", "what is AAPL at?")]
    [InlineData("hey @Assistant, summarize", "hey , summarize")]
    [InlineData("  @assistant  ", "@assistant")] // a bare mention is still a question (answered with what it can do)
    public void the_assistant_is_asked_the_text_without_its_mention(string text, string prompt) =>
        Assert.Equal(prompt, MessageText.AssistantPrompt(MessageText.Normalize(text)));
}
