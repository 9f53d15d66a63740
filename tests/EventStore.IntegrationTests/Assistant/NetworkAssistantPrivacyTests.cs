using System.Text.Json.Nodes;
using EventStore.Domain.Assistant;
using EventStore.IntegrationTests.Chat;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Trading;
using EventStore.IntegrationTests.Users;
using EventStore.IntegrationTests.WebSockets;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;
using static EventStore.IntegrationTests.Assistant.AssistantPrivacyScenario;

namespace EventStore.IntegrationTests.Assistant;

/// <summary>
/// The regression over the network path: the app on Kestrel on a loopback port, GraphQL over real HTTP, and the
/// public room read live by another member over a real WebSocket. The offline provider answers (no AI vendor is called,
/// none is faked: the question never leaves the process).
/// </summary>
public sealed class NetworkAssistantPrivacyTests(KestrelAppFixture app) : IClassFixture<KestrelAppFixture>
{
    private const string RoomMessages =
        "subscription($r: ID!, $after: String) { roomMessages(roomId: $r, after: $after) { event message { author text interactionId } } }";

    private readonly GraphQLClient _http = app.Http;

    [Fact]
    public async Task over_a_real_socket_a_cash_question_in_a_public_room_reaches_its_readers_without_a_figure()
    {
        var alice = await _http.RegisterAndLogInAsync("net-priv-alice");
        var bob = await _http.RegisterAndLogInAsync("net-priv-bob");
        await _http.DepositAsync(alice.Token, Deposit);
        var room = await _http.CreateRoomAsync(alice.Token, "Trading floor");
        await _http.JoinOkAsync(bob.Token, room);
        await WaitForProjectionsAsync(); // the portfolio the assistant reads holds the deposit

        await using var live = await GraphQLWebSocketClient.ConnectAndInitAsync(app.SocketUri, new { authorization = "Bearer " + bob.Token });
        // `after: "0"` replays the room from its start once the subscription holds its place: nothing can slip past it.
        await live.SubscribeAsync("room", RoomMessages, new { r = room, after = "0" });
        await _http.PostOkAsync(alice.Token, room, "@assistant what is my cash balance?");

        // Everything Bob's socket carries, frame by frame, up to the assistant's reply (the signal that it was answered).
        var frames = new List<JsonObject>();
        JsonNode update;
        do
        {
            var frame = await live.ReceiveAsync();
            frames.Add(frame);
            Assert.True(frame.Str("type") == "next", $"Expected a `next` but got {frame.ToJsonString()}");
            update = frame["payload"]!["data"]!["roomMessages"]!;
        }
        while (update["message"]!.Str("author") != "assistant");

        Assert.Equal(AssistantRules.AnsweredPrivately, update["message"]!.Str("text"));
        Assert.All(frames, f => Assert.DoesNotContain(Deposit, Numbers(f.ToJsonString())));
        await WaitForProjectionsAsync();
        var read = await _http.MessageNodesAsync(bob.Token, room);
        Assert.Equal([AssistantRules.AnsweredPrivately, "@assistant what is my cash balance?"], read.Select(n => n!.Str("text")));
        // Her cash is where only she reads it, so the scans above could have found it.
        var answer = (await _http.SendAsync("{ conversations { interactions { roomId response } } }", token: alice.Token))
            .Ok("conversations")[0]!["interactions"]![0]!;
        Assert.Equal(room, answer.Str("roomId"));
        Assert.Contains(Deposit, Numbers(answer.Str("response")));
    }

    private Task WaitForProjectionsAsync() =>
        app.Services.GetRequiredService<IDocumentStore>().WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
}
