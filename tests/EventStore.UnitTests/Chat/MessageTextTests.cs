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

    [Fact]
    public void the_assistant_mention_can_be_taken_out_of_the_question() =>
        Assert.Equal("what is AAPL at?", MessageText.WithoutAssistantMention("@assistant what is AAPL at?"));
}
