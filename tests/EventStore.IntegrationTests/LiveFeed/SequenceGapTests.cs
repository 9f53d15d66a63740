using EventStore.IntegrationTests.Audit;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Trading;
using EventStore.IntegrationTests.Users;
using Npgsql;

namespace EventStore.IntegrationTests.LiveFeed;

/// <summary>
/// The race every async consumer of a sequence-numbered log must survive: a transaction takes sequence N, a later
/// transaction takes N+1 and commits first, then N commits. A consumer reading "everything above my position" would
/// deliver N+1 and skip N for ever; the feed reads only up to Marten's high-water mark and must deliver N, then N+1.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class SequenceGapTests(AppFixture app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task an_event_that_commits_after_a_higher_sequence_is_delivered_once_and_in_order()
    {
        await app.QuoteAsync("AAPL", 99.90m, 100.00m);
        await app.WaitForProjectionsAsync();
        var admin = await new GraphQLClient(app.Host).LogInAsAdminAsync();
        await using var feed = await SubscriptionProbe.SubscribeAsync(app.Host,
            "subscription { events(filter: {eventTypes: [\"quote_received\"]}) { sequence version } }", admin);

        // The slow transaction: takes its sequence number now, commits later.
        await using var slow = new NpgsqlConnection(app.ConnectionString);
        await slow.OpenAsync();
        await using var transaction = await slow.BeginTransactionAsync();
        long lower;
        await using (var take = new NpgsqlCommand("select nextval('eventstore.mt_events_sequence')", slow, transaction))
        {
            lower = (long)(await take.ExecuteScalarAsync())!;
        }

        await using (var insert = new NpgsqlCommand($"""
            insert into eventstore.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type,
                correlation_id, causation_id, user_name, headers, is_archived)
            select {lower}, gen_random_uuid(), stream_id, 1000000, data, type, timestamp, tenant_id, mt_dotnet_type,
                correlation_id, causation_id, user_name, headers, is_archived
            from eventstore.mt_events where type = 'quote_received' order by seq_id limit 1
            """, slow, transaction))
        {
            await insert.ExecuteNonQueryAsync();
        }

        // The fast transaction: a higher sequence, committed and visible while the lower one is still open.
        using var reads = new HighWaterMarkReads(new NpgsqlConnectionStringBuilder(app.ConnectionString).Database!);
        await app.QuoteAsync("AAPL", 100.00m, 100.10m);
        var higher = await app.ScalarAsync("select max(seq_id) from eventstore.mt_events");
        Assert.True(higher > lower);
        // Hold the gap open across several polls of the feed, each of which could deliver the higher event too early:
        // this is the race.
        await reads.WaitForAsync(reads.Count + 3);
        await transaction.CommitAsync();

        var first = await feed.NextAsync();
        var second = await feed.NextAsync();
        Assert.Equal([lower.ToString(System.Globalization.CultureInfo.InvariantCulture), higher.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            [first["sequence"]!.ToString(), second["sequence"]!.ToString()]);
    }
}
