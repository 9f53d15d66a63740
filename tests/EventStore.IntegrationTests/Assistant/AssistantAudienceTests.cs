using EventStore.Api.Assistant;
using EventStore.Api.Assistant.Tools;
using EventStore.Domain.Chat;
using EventStore.IntegrationTests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace EventStore.IntegrationTests.Assistant;

/// <summary>
/// The audience rule on its own: who may hear which kind of tool data, and that the gatherer is the one place that
/// applies it, so a tool cannot run for an audience that may not hear it (a spy tool, whatever it declares, is never
/// asked to read). No provider is involved; the gatherer's query session is the app's, though the spy reads nothing.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AssistantAudienceTests(AppFixture app)
{
    private static readonly Guid AskerId = Guid.Parse("0197a5c4-1b2e-7d3f-8a4b-5c6d7e8f9a01");
    private static readonly Guid OtherId = Guid.Parse("0197a5c4-1b2e-7d3f-8a4b-5c6d7e8f9a02");
    private static readonly Guid RoomId = Guid.Parse("0197a5c4-1b2e-7d3f-8a4b-5c6d7e8f9a03");

    private static Room RoomOf(RoomVisibility visibility, params Guid[] members) =>
        new() { Id = RoomId, Visibility = visibility, Members = [.. members] };

    [Fact]
    public void the_audience_of_a_room_is_its_readers_never_the_asker_alone_whatever_its_size()
    {
        Assert.Equal((AudienceKind.Everyone, "everyone"), Kind(RoomOf(RoomVisibility.Public, AskerId)));
        Assert.Equal((AudienceKind.RoomMembers, "room_members"), Kind(RoomOf(RoomVisibility.Private, AskerId, OtherId)));
        Assert.Equal((AudienceKind.RoomMembers, "room_members"), Kind(RoomOf(RoomVisibility.Direct, AskerId, OtherId)));
        Assert.Equal((AudienceKind.RoomMembers, "room_members"), Kind(RoomOf(RoomVisibility.Private, AskerId))); // invitees read back
        Assert.Equal((AudienceKind.Everyone, "everyone"), Kind(null)); // a room that cannot be read back: the widest
        Assert.Equal("asker", AssistantAudience.Asker(AskerId).Name);

        static (AudienceKind, string) Kind(Room? room)
        {
            var audience = AssistantAudience.InRoom(room, RoomId, AskerId);
            return (audience.Kind, audience.Name);
        }
    }

    [Theory]
    [InlineData(RoomVisibility.Public)]
    [InlineData(RoomVisibility.Private)]
    [InlineData(RoomVisibility.Direct)]
    public void in_a_room_only_data_every_reader_may_see_is_heard(RoomVisibility visibility)
    {
        var room = RoomOf(visibility, AskerId, OtherId);
        var inRoom = AssistantAudience.InRoom(room, RoomId, AskerId);

        Assert.True(inRoom.MayHear(ToolData.Public, room));
        Assert.False(inRoom.MayHear(ToolData.AskersOwn, room));
        Assert.True(inRoom.MayHear(ToolData.RoomMessages, room));
        // Another room's messages are not this room's readers' to hear.
        Assert.False((inRoom with { RoomId = Guid.CreateVersion7() }).MayHear(ToolData.RoomMessages, room));
        // Nor may a non-member have the room's messages summarized anywhere.
        Assert.False(AssistantAudience.InRoom(room, RoomId, Guid.CreateVersion7()).MayHear(ToolData.RoomMessages, room));
    }

    [Fact]
    public void the_asker_alone_hears_their_own_account_and_the_messages_of_a_room_they_are_a_member_of()
    {
        var asker = AssistantAudience.Asker(AskerId);

        Assert.True(asker.MayHear(ToolData.Public, null));
        Assert.True(asker.MayHear(ToolData.AskersOwn, null));
        Assert.False(asker.MayHear(ToolData.RoomMessages, null)); // no room asked in
        Assert.True(asker.MayHear(ToolData.RoomMessages, RoomOf(RoomVisibility.Private, AskerId, OtherId)));
        Assert.False(asker.MayHear(ToolData.RoomMessages, RoomOf(RoomVisibility.Public, OtherId)));
    }

    [Fact]
    public async Task the_gatherer_never_runs_a_tool_whose_data_the_audience_may_not_hear()
    {
        var own = new SpyTool("spy_own", ToolData.AskersOwn);
        var market = new SpyTool("spy_market", ToolData.Public);
        var tools = new AssistantTools(app.Host.Services.GetRequiredService<IDocumentStore>(), [own, market]);
        var room = RoomOf(RoomVisibility.Public, AskerId, OtherId);
        var question = new AssistantQuestion(AskerId, "anything", room);

        var inRoom = await tools.GatherAsync(question, AssistantAudience.InRoom(room, RoomId, AskerId), CancellationToken.None);

        Assert.Equal((0, 1), (own.Runs, market.Runs));
        Assert.Equal(["spy_market"], inRoom.Calls.Select(c => c.Tool));
        Assert.Equal(["everyone"], inRoom.Calls.Select(c => c.Audience));
        Assert.Equal(["spy_own"], inRoom.Withheld.Select(w => w.Tool.Name));
        Assert.DoesNotContain(SpyTool.Secret, inRoom.Context, StringComparison.Ordinal);
        Assert.StartsWith(AssistantTools.SharedInstructions, inRoom.Context, StringComparison.Ordinal);

        var privately = await tools.GatherAsync(question, AssistantAudience.Asker(AskerId), CancellationToken.None);

        Assert.Equal((1, 2), (own.Runs, market.Runs));
        Assert.Equal([("spy_own", "asker"), ("spy_market", "asker")], privately.Calls.Select(c => (c.Tool, c.Audience)));
        Assert.Contains(SpyTool.Secret, privately.Context, StringComparison.Ordinal);
        Assert.StartsWith(AssistantTools.PrivateInstructions, privately.Context, StringComparison.Ordinal);
    }

    /// <summary>A tool that asks to run for every question and counts how often the gatherer lets it read.</summary>
    private sealed class SpyTool(string name, ToolData data) : IAssistantTool
    {
        public const string Secret = "secret 4242.42";

        public int Runs { get; private set; }

        public string Name => name;

        public ToolData Data => data;

        public bool TouchesTrading => false;

        public Task<IReadOnlyList<string>> SelectAsync(IQuerySession session, AssistantQuestion question, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<string>>(["{}"]);

        public Task<string> RunAsync(IQuerySession session, AssistantQuestion question, string arguments, CancellationToken ct)
        {
            Runs++;
            return Task.FromResult(data == ToolData.AskersOwn ? Secret : "market data");
        }
    }
}
