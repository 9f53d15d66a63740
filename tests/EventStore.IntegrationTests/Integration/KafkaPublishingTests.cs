using EventStore.IntegrationTests.Assistant;
using EventStore.IntegrationTests.Chat;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Trading;
using EventStore.IntegrationTests.Users;

namespace EventStore.IntegrationTests.Integration;

/// <summary>
/// The app publishes over TCP to librdkafka's mock cluster; an independent Confluent.Kafka consumer (its own group)
/// reads the topics and checks keys, headers and the JSON Schemas under schemas/events/.
/// </summary>
[Collection(KafkaCollection.Name)]
public sealed class KafkaPublishingTests(KafkaFixture app) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task placing_and_filling_an_order_publishes_order_placed_and_order_filled_keyed_by_the_order_valid_against_the_schemas()
    {
        var (userId, token) = await _client.RegisterAndLogInAsync("kafka-trader");
        await _client.DepositAsync(token, 10_000m);
        await app.Host.QuoteAsync("AAPL", 99.98m, 100.00m);
        var orderId = (await _client.PlaceAsync(token, "k-1", "BUY", "MARKET", 5)).Ok("placeOrder")["order"]!.Str("id");

        var records = app.Kafka.Consume(KafkaFixture.Topic("trading"), rs => rs.Count(r => r.Key == orderId) >= 2, Patience);

        var mine = records.Where(r => r.Key == orderId).ToList();
        Assert.Equal(["trading.order-placed.v1", "trading.order-filled.v1"], mine.Select(r => r.MessageType));
        foreach (var record in mine)
        {
            await EventSchemas.AssertValidAsync(record.MessageType!, record.Value);
            Assert.Equal(orderId, record.Json["orderId"]!.GetValue<string>());
            Assert.Equal(userId.ToString(), record.Json["userId"]!.GetValue<string>());
            Assert.False(string.IsNullOrEmpty(record.Json["correlationId"]?.GetValue<string>()));
        }

        Assert.True(mine[0].Json["sequence"]!.GetValue<long>() < mine[1].Json["sequence"]!.GetValue<long>());
        Assert.Equal(mine[0].Partition, mine[1].Partition);

        var users = app.Kafka.Consume(KafkaFixture.Topic("users"), rs => rs.Any(r => r.Key == userId.ToString()), Patience);
        var registered = Assert.Single(users, r => r.Key == userId.ToString());
        Assert.Equal("users.user-registered.v1", registered.MessageType);
        await EventSchemas.AssertValidAsync(registered.MessageType!, registered.Value);
        Assert.DoesNotContain("kafka-trader", registered.Value, StringComparison.Ordinal); // no username, no e-mail
    }

    [Fact]
    public async Task with_the_broker_unreachable_commands_succeed_messages_wait_in_the_outbox_and_all_arrive_in_order_once_it_is_back()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("outbox-trader");
        await _client.DepositAsync(token, 10_000m);
        await app.Host.QuoteAsync("AAPL", 99.98m, 100.00m);

        app.Kafka.BrokerDown();
        var a = (await _client.PlaceAsync(token, "o-a", "BUY", "LIMIT", 1, 90m)).Ok("placeOrder")["order"]!.Str("id");
        var b = (await _client.PlaceAsync(token, "o-b", "BUY", "LIMIT", 2, 91m)).Ok("placeOrder")["order"]!.Str("id");
        foreach (var id in new[] { a, b })
        {
            (await _client.SendAsync("mutation($id: ID!) { cancelOrder(input: {orderId: $id}) { order { status } } }", new { id }, token))
                .Ok("cancelOrder");
        }

        await app.WaitForProjectionsAsync(); // the relay has run: its messages are in the outbox, not on the broker
        var waiting = await IntegrationScenarios.OutboxReportAsync(app.ConnectionString);
        Assert.True(await IntegrationScenarios.OutboxCountAsync(app.ConnectionString) >= 4, waiting);

        bool Arrived(IReadOnlyList<KafkaRecord> rs) => rs.Count(r => r.Key == a) >= 2 && rs.Count(r => r.Key == b) >= 2;
        var logMark = app.Log.Entries.Count;
        string Logged() => string.Join("\n  ", app.Log.Entries.Skip(logMark).TakeLast(30));
        app.Kafka.BrokerUp();

        // Two facts, each with its own bound and its own failure message: the outbox drains (the broker acknowledged every
        // message: the sender deletes a row only then), then the independent consumer reads them.
        if (!await app.Changes.Changed.TryWaitUntilAsync(async () =>
                await IntegrationScenarios.OutboxCountAsync(app.ConnectionString) == 0, Patience))
        {
            Assert.Fail($"""
                The outbox did not drain within {Patience} after the broker came back: the messages were not sent.
                Outbox before the broker came back: {waiting}
                Outbox now: {await IntegrationScenarios.OutboxReportAsync(app.ConnectionString)}
                Warnings and errors the app logged since: {Logged()}
                """);
        }

        var records = app.Kafka.Consume(KafkaFixture.Topic("trading"), Arrived, Patience);
        if (!Arrived(records))
        {
            Assert.Fail($"""
                The outbox drained (the broker acknowledged the messages) but the consumer did not read all of {a} and {b}
                within {Patience}.
                Read from the topic: {string.Join(", ", records.Select(r => $"{r.Key}:{r.MessageType}@{r.Partition}/{r.Offset}"))}
                Outbox before the broker came back: {waiting}
                Warnings and errors the app logged since: {Logged()}
                """);
        }

        foreach (var id in new[] { a, b })
        {
            // First occurrence of each message, in partition (offset) order: placed before cancelled.
            var mine = records.Where(r => r.Key == id).OrderBy(r => r.Offset).DistinctBy(r => r.Json["eventId"]!.GetValue<string>()).ToList();
            Assert.Equal(["trading.order-placed.v1", "trading.order-cancelled.v1"], mine.Select(r => r.MessageType));
            Assert.True(mine[0].Json["sequence"]!.GetValue<long>() < mine[1].Json["sequence"]!.GetValue<long>());
            await EventSchemas.AssertValidAsync(mine[1].MessageType!, mine[1].Value);
        }
    }

    [Fact]
    public async Task a_command_that_fails_validation_publishes_nothing()
    {
        var (userId, token) = await _client.RegisterAndLogInAsync("invalid-trader");
        await _client.DepositAsync(token, 10_000m);
        await app.Host.QuoteAsync("AAPL", 99.98m, 100.00m);

        var bad = await _client.PlaceAsync(token, "bad-1", "BUY", "LIMIT", -5, 90m);
        Assert.Contains("VALIDATION", bad.Codes);
        var marker = (await _client.PlaceAsync(token, "good-1", "BUY", "LIMIT", 1, 90m)).Ok("placeOrder")["order"]!.Str("id");

        var records = app.Kafka.Consume(KafkaFixture.Topic("trading"), rs => rs.Any(r => r.Key == marker), Patience);

        var mine = records.Where(r => r.Json["userId"]?.GetValue<string>() == userId.ToString()).ToList();
        var only = Assert.Single(mine);
        Assert.Equal(marker, only.Key);
    }

    [Fact]
    public async Task a_chat_message_publishes_message_posted_and_one_user_mentioned_per_member_keyed_by_the_room_without_its_text()
    {
        var (alice, aliceToken) = await _client.RegisterAndLogInAsync("kafka-alice");
        var (bob, _) = await _client.RegisterAndLogInAsync("kafka-bob");
        var (carol, _) = await _client.RegisterAndLogInAsync("kafka-carol");
        var room = await _client.CreateRoomAsync(aliceToken, "kafka-desk", "PRIVATE");
        (await _client.InviteAsync(aliceToken, room, bob)).Ok("inviteToRoom");
        (await _client.InviteAsync(aliceToken, room, carol)).Ok("inviteToRoom");
        var message = await _client.PostOkAsync(aliceToken, room, "secret plan for @kafka-bob and @kafka-carol");

        var records = app.Kafka.Consume(KafkaFixture.Topic("chat"), rs => rs.Count(r => r.Key == room) >= 3, Patience);

        var mine = records.Where(r => r.Key == room).DistinctBy(r => r.Json["eventId"]!.GetValue<string>()).ToList();
        Assert.Equal(3, mine.Count);
        foreach (var record in mine)
        {
            await EventSchemas.AssertValidAsync(record.MessageType!, record.Value);
            Assert.DoesNotContain("secret plan", record.Value, StringComparison.Ordinal); // the text never leaves
            Assert.Equal(message, record.Json["messageId"]!.GetValue<string>());
        }

        var posted = Assert.Single(mine, r => r.MessageType == "chat.message-posted.v1");
        Assert.Equal("PRIVATE", posted.Json["roomKind"]!.GetValue<string>());
        Assert.Equal(alice.ToString(), posted.Json["authorId"]!.GetValue<string>());
        var mentions = mine.Where(r => r.MessageType == "chat.user-mentioned.v1").ToList();
        Assert.Equal(new[] { bob, carol }.Select(id => id.ToString()).Order(),
            mentions.Select(r => r.Json["mentionedUserId"]!.GetValue<string>()).Order());
        Assert.Single(mine.Select(r => r.Partition).Distinct()); // one key, one partition: the room's order is kept
    }

    [Fact]
    public async Task an_assistant_answer_publishes_its_usage_keyed_by_the_conversation_without_prompt_or_answer()
    {
        var (userId, token) = await _client.RegisterAndLogInAsync("kafka-asker");
        var conversation = (await _client.AskAsync(token, "kafka-prompt-words please")).Ok("askAssistant")["conversation"]!.Str("id");

        var records = app.Kafka.Consume(KafkaFixture.Topic("assistant"), rs => rs.Any(r => r.Key == conversation), Patience);

        var completed = records.First(r => r.Key == conversation);
        Assert.Equal("assistant.assistant-interaction-completed.v1", completed.MessageType);
        await EventSchemas.AssertValidAsync(completed.MessageType!, completed.Value);
        Assert.Equal(userId.ToString(), completed.Json["userId"]!.GetValue<string>());
        Assert.Equal("offline", completed.Json["provider"]!.GetValue<string>());
        Assert.DoesNotContain("kafka-prompt-words", completed.Value, StringComparison.Ordinal);
    }
}
