using EventStore.IntegrationTests.Chat;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;
using Xunit.Abstractions;

namespace EventStore.IntegrationTests.Api;

/// <summary>
/// Many-to-one and count fields are read in batches (docs/architecture.md#batch-loading): the number of SQL commands a
/// query sends does not grow with the number of items it returns. Each query is counted on a small page and on a large
/// one (<see cref="NpgsqlCommandCounter"/>, the request's own commands); the test fails when the large page costs more.
/// Counts, never timing.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class BatchLoadingTests(AppFixture app, ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Rooms, the viewer's read markers, the counts (one statement), the members' names.</summary>
    public const int RoomsBudget = 4;

    /// <summary>The room (access check), the page, the authors' names.</summary>
    public const int MessagesBudget = 3;

    private const string RoomsQuery = "{ rooms(mine: true) { id unreadCount members { username } } }";

    private const string MessagesQuery =
        "query($r: ID!, $f: Int) { messages(roomId: $r, first: $f) { edges { node { id author text } } } }";

    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task rooms_with_unread_counts_and_member_names_take_the_same_commands_for_2_rooms_and_for_20()
    {
        var (_, alice) = await _client.RegisterAndLogInAsync("batch-alice");
        var (_, bob) = await _client.RegisterAndLogInAsync("batch-bob");

        var small = await RoomsCommandsAsync(alice, bob, rooms: 2);
        var large = await RoomsCommandsAsync(alice, bob, rooms: 20);

        Assert.True(large.Count <= RoomsBudget, $"20 rooms took {large.Count} SQL commands, the budget is {RoomsBudget}");
        Assert.True(large.Count <= small.Count,
            $"20 rooms took {large.Count} SQL commands, 2 rooms took {small.Count}:\n{string.Join("\n", large)}");
    }

    [Fact]
    public async Task a_page_of_messages_with_authors_takes_the_same_commands_for_5_messages_and_for_50()
    {
        var (_, owner) = await _client.RegisterAndLogInAsync("batch-owner");
        var room = await _client.CreateRoomAsync(owner, "Busy room");
        for (var author = 0; author < 5; author++)
        {
            var (_, token) = await _client.RegisterAndLogInAsync($"batch-author-{author}");
            await _client.JoinOkAsync(token, room);
            for (var i = 0; i < 10; i++)
            {
                await _client.PostOkAsync(token, room, $"message {i} from author {author}");
            }
        }

        await app.WaitForProjectionsAsync();
        using var counter = new NpgsqlCommandCounter();
        await CountAsync(counter, MessagesQuery, new { r = room, f = 5 }, owner); // warm-up: first use of each statement
        var small = await CountAsync(counter, MessagesQuery, new { r = room, f = 5 }, owner);
        var large = await CountAsync(counter, MessagesQuery, new { r = room, f = 50 }, owner);

        var nodes = large.Response.Ok("messages")["edges"]!.AsArray().Select(e => e!["node"]!).ToList();
        Assert.Equal(50, nodes.Count);
        Assert.Equal(5, nodes.Select(n => n.Str("author")).Distinct().Count());
        Assert.All(nodes, n => Assert.StartsWith("batch-author-", n.Str("author"), StringComparison.Ordinal));
        Assert.True(large.Commands.Count <= MessagesBudget,
            $"50 messages took {large.Commands.Count} SQL commands, the budget is {MessagesBudget}");
        Assert.True(large.Commands.Count <= small.Commands.Count,
            $"50 messages took {large.Commands.Count} SQL commands, 5 took {small.Commands.Count}:\n{string.Join("\n", large.Commands)}");
    }

    /// <summary>Brings alice's rooms up to <paramref name="rooms"/>, each with bob as a member and one unread message by him.</summary>
    private async Task<IReadOnlyList<string>> RoomsCommandsAsync(string alice, string bob, int rooms)
    {
        var existing = (await _client.SendAsync(RoomsQuery, null, alice)).Ok("rooms").AsArray().Count;
        for (var i = existing; i < rooms; i++)
        {
            var room = await _client.CreateRoomAsync(alice, $"Room {i}");
            await _client.JoinOkAsync(bob, room);
            await _client.PostOkAsync(bob, room, $"hello in room {i}");
        }

        await app.WaitForProjectionsAsync();
        using var counter = new NpgsqlCommandCounter();
        await CountAsync(counter, RoomsQuery, null, alice); // warm-up: first use of each statement
        var (response, commands) = await CountAsync(counter, RoomsQuery, null, alice);

        var list = response.Ok("rooms").AsArray();
        Assert.Equal(rooms, list.Count);
        Assert.All(list, room =>
        {
            Assert.Equal(1, room!["unreadCount"]!.GetValue<int>());
            Assert.Equal(["batch-alice", "batch-bob"], room["members"]!.AsArray().Select(m => m!.Str("username")).Order(StringComparer.Ordinal));
        });
        return commands;
    }

    private async Task<(GraphQLResponse Response, IReadOnlyList<string> Commands)> CountAsync(NpgsqlCommandCounter counter, string query,
        object? variables, string token)
    {
        var (response, commands) = await counter.CountAsync(app, c => c.SendAsync(query, variables, token));
        var own = NpgsqlCommandCounter.WithoutSessionCheck(commands);
        output.WriteLine($"{own.Count} SQL commands for {query} {System.Text.Json.JsonSerializer.Serialize(variables)}");
        foreach (var command in own)
        {
            output.WriteLine("  " + command);
        }

        return (response, own);
    }
}
