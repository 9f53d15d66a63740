using EventStore.Contracts.Chat;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Integration;
using EventStore.IntegrationTests.Trading;
using EventStore.IntegrationTests.Users;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using Wolverine;

namespace EventStore.IntegrationTests.Notifications;

/// <summary>Notifications consuming from Kafka (the mock cluster); e-mail through a WireMock.Net stand-in for the provider.</summary>
[Collection(KafkaCollection.Name)]
public sealed class KafkaNotificationTests(KafkaFixture app) : IAsyncLifetime
{
    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task a_fill_and_a_mention_notify_the_right_users_only_and_a_redelivered_mention_notifies_once()
    {
        var (alice, aliceToken) = await _client.RegisterAndLogInAsync("alice");
        var (bob, bobToken) = await _client.RegisterAndLogInAsync("bob");
        await _client.DepositAsync(aliceToken, 10_000m);
        await app.Host.QuoteAsync("AAPL", 99.98m, 100.00m);
        var orderId = (await _client.PlaceAsync(aliceToken, "n-1", "BUY", "MARKET", 1)).Ok("placeOrder")["order"]!.Str("id");

        var aliceList = await _client.NotificationsWhenAsync(aliceToken, app.Changes, app.WaitForProjectionsAsync, l => l.Count >= 1);
        var fill = Assert.Single(aliceList)!["node"]!;
        Assert.Equal("ORDER_FILLED", fill.Str("kind"));
        Assert.Equal(orderId, fill.Str("subjectId"));

        // As the Chat module will publish it: alice mentions bob. The same integration event is delivered twice (same
        // event id), then a second mention; one partition (room key), so the marker arrives after both copies.
        var room = Guid.NewGuid();
        var mention = new UserMentioned(Guid.NewGuid(), room, bob, alice, DateTimeOffset.UtcNow)
            { EventId = Guid.NewGuid(), Sequence = 1_000_001, CorrelationId = "test", OccurredAt = DateTimeOffset.UtcNow };
        var marker = mention with { MessageId = Guid.NewGuid(), EventId = Guid.NewGuid(), Sequence = 1_000_002 };
        using var scope = app.Host.Services.CreateScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        foreach (var message in new[] { mention, mention, marker })
        {
            await bus.PublishAsync(message, new DeliveryOptions { PartitionKey = room.ToString() });
        }

        var bobList = await _client.NotificationsWhenAsync(bobToken, app.Changes, app.WaitForProjectionsAsync, l => l.Count >= 2);
        Assert.Equal(2, bobList.Count);
        Assert.All(bobList, n => Assert.Equal("MENTIONED", n!["node"]!.Str("kind")));
        Assert.Single(await _client.NotificationsAsync(aliceToken)); // still only her fill
    }

    [Fact]
    public async Task an_email_provider_failing_twice_is_retried_by_polly_and_delivers_once_wiremock()
    {
        // WireMock.Net stands in for the SendGrid-style provider: 503, 503, then 202.
        app.Providers.Given(Request.Create().WithPath("/v3/mail/send").UsingPost()).InScenario("flaky").WillSetStateTo("one")
            .RespondWith(Response.Create().WithStatusCode(503));
        app.Providers.Given(Request.Create().WithPath("/v3/mail/send").UsingPost()).InScenario("flaky").WhenStateIs("one")
            .WillSetStateTo("two").RespondWith(Response.Create().WithStatusCode(503));
        app.Providers.Given(Request.Create().WithPath("/v3/mail/send").UsingPost()).InScenario("flaky").WhenStateIs("two")
            .RespondWith(Response.Create().WithStatusCode(202));

        var (_, token) = await _client.RegisterAndLogInAsync("mailer");
        (await _client.SendAsync("mutation { updateNotificationPreferences(input: {email: true, sms: false}) { email } }", token: token))
            .Ok("updateNotificationPreferences");
        await _client.DepositAsync(token, 10_000m);
        await app.Host.QuoteAsync("AAPL", 99.98m, 100.00m);
        (await _client.PlaceAsync(token, "m-1", "BUY", "MARKET", 1)).Ok("placeOrder");

        var list = await _client.NotificationsWhenAsync(token, app.Changes, app.WaitForProjectionsAsync,
            l => l.Count == 1 && l[0]!["node"]!["deliveredBy"]!.AsArray().Count == 1);

        Assert.Equal("EMAIL", Assert.Single(list)!["node"]!["deliveredBy"]![0]!.GetValue<string>());
        var sends = app.Providers.LogEntries.Where(e => e.RequestMessage.Path == "/v3/mail/send").ToList();
        Assert.Equal(3, sends.Count);
        Assert.Contains("mailer@example.com", sends[^1].RequestMessage.Body, StringComparison.Ordinal);
        Assert.Equal("Bearer test-key", sends[^1].RequestMessage.Headers!["Authorization"].Single());
    }
}
