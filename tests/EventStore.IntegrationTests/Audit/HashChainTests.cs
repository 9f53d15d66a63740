using EventStore.Audit;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Trading;
using EventStore.IntegrationTests.Users;

namespace EventStore.IntegrationTests.Audit;

[Collection(AppCollection.Name)]
public sealed class HashChainTests(AppFixture app) : IAsyncLifetime
{
    private readonly GraphQLClient _client = new(app.Host);
    private string _adminToken = "";

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        await app.ResetLedgerAsync();
        for (var i = 0; i < 4; i++)
        {
            var (_, token) = await _client.RegisterAndLogInAsync($"chained{i}");
            await _client.DepositAsync(token, 1_000.25m + i);
        }

        _adminToken = await _client.LogInAsAdminAsync();
        await app.CatchUpAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task the_export_verifies_up_to_a_signed_checkpoint_with_the_published_key()
    {
        var sealedAt = await app.Ledger().CheckpointAsync(CancellationToken.None);
        var (checkpointStatus, checkpointJson) = await app.GetAsync("/audit/checkpoint", _adminToken);
        var (keyStatus, pem) = await app.GetAsync("/audit/public-key", token: null);
        using var publicKey = Checkpoint.PublicKeyFromPem(pem);
        var checkpoint = Checkpoint.Parse(checkpointJson);

        var result = await app.ExportAndVerifyAsync(_adminToken, checkpoint, publicKey);

        Assert.Equal((200, 200), (checkpointStatus, keyStatus));
        Assert.Equal(sealedAt, checkpoint);
        Assert.True(result.Ok, result.ToString());
        // Everything but the record of this very export, which is appended as the export starts (and chained next time).
        Assert.Equal(await app.ScalarAsync("select count(*) from eventstore.mt_events where type <> 'audit_log_read'"), result.Events);
        Assert.Equal(checkpoint.HeadHash, result.HeadHash);
    }

    [Fact]
    public async Task a_checkpoint_with_a_forged_head_is_rejected()
    {
        var checkpoint = (await app.Ledger().CheckpointAsync(CancellationToken.None))!;
        var (_, pem) = await app.GetAsync("/audit/public-key", token: null);
        using var publicKey = Checkpoint.PublicKeyFromPem(pem);

        var result = await app.ExportAndVerifyAsync(_adminToken, checkpoint with { Sequence = checkpoint.Sequence - 1 }, publicKey);

        Assert.Equal((checkpoint.Sequence - 1, Problems.Checkpoint), (result.FailedSequence, result.Problem));
    }

    [Fact]
    public async Task altering_an_events_data_in_the_table_is_named_by_sequence()
    {
        var target = await app.NthEventAsync(5);
        await app.MaintenanceSqlAsync("test: forge data", $"update eventstore.mt_events set data = data || '{{\"forged\": 1}}' where seq_id = {target}");

        var result = await app.ExportAndVerifyAsync(_adminToken);

        Assert.Equal((target, Problems.Altered), (result.FailedSequence, result.Problem));
    }

    [Fact]
    public async Task altering_an_events_metadata_is_named_by_sequence()
    {
        var target = await app.NthEventAsync(3);
        await app.MaintenanceSqlAsync("test: forge metadata", $"update eventstore.mt_events set user_name = 'someone-else' where seq_id = {target}");

        var result = await app.ExportAndVerifyAsync(_adminToken);

        Assert.Equal((target, Problems.Altered), (result.FailedSequence, result.Problem));
    }

    [Fact]
    public async Task deleting_an_event_is_reported_missing_at_its_sequence()
    {
        var target = await app.NthEventAsync(6);
        await app.MaintenanceSqlAsync("test: delete an event", $"delete from eventstore.mt_events where seq_id = {target}");

        var result = await app.ExportAndVerifyAsync(_adminToken);

        Assert.Equal((target, Problems.Missing), (result.FailedSequence, result.Problem));
    }

    [Fact]
    public async Task swapping_two_events_contents_is_caught_at_the_first_of_them()
    {
        var first = await app.NthEventAsync(4);
        var second = await app.NthEventAsync(8);
        await app.MaintenanceSqlAsync("test: swap two events", $"""
            update eventstore.mt_events e set data = o.data, type = o.type
            from eventstore.mt_events o
            where (e.seq_id, o.seq_id) in (({first}, {second}), ({second}, {first}))
            """);

        var result = await app.ExportAndVerifyAsync(_adminToken);

        Assert.Equal((first, Problems.Altered), (result.FailedSequence, result.Problem));
    }

    [Fact]
    public async Task an_event_forged_into_a_number_the_store_skipped_is_reported_inserted()
    {
        // A rolled-back transaction burns a sequence number; once Marten's high-water mark passes it, the ledger chains a gap.
        var skipped = await app.ScalarAsync("select nextval('eventstore.mt_events_sequence')");
        var (_, token) = await _client.RegisterAndLogInAsync("after-the-gap");
        await _client.DepositAsync(token, 5m);
        await app.CatchUpAsync();
        Assert.Equal(1, await app.ScalarAsync($"select count(*) from eventstore.audit_ledger where seq_id = {skipped} and kind = 'gap'"));

        await app.SqlAsync($"""
            insert into eventstore.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type,
                correlation_id, causation_id, user_name, headers, is_archived)
            select {skipped}, gen_random_uuid(), stream_id, 100000, data, type, timestamp, tenant_id, mt_dotnet_type,
                correlation_id, causation_id, user_name, headers, is_archived
            from eventstore.mt_events where seq_id = {await app.NthEventAsync(2)}
            """);

        var result = await app.ExportAndVerifyAsync(_adminToken);

        Assert.Equal((skipped, Problems.Inserted), (result.FailedSequence, result.Problem));
    }

    [Fact]
    public async Task the_export_is_for_auditors_and_admins_only()
    {
        var (_, traderToken) = await _client.RegisterAndLogInAsync("curious-trader");

        Assert.Equal(401, (await app.GetAsync("/audit/export", token: null)).Status);
        Assert.Equal(403, (await app.GetAsync("/audit/export", traderToken)).Status);
        Assert.Equal(403, (await app.GetAsync("/audit/checkpoint", traderToken)).Status);
    }

    [Fact]
    public async Task a_range_export_is_anchored_at_its_first_prev_hash_and_streams_ndjson()
    {
        var from = await app.NthEventAsync(3);
        var to = await app.NthEventAsync(7);

        var (status, body) = await app.GetAsync($"/audit/export?fromSequence={from}&toSequence={to}", _adminToken);
        var result = await ChainVerifier.VerifyAsync(new StringReader(body));

        Assert.Equal(200, status);
        Assert.True(result.Ok, result.ToString());
        Assert.Equal(to - from + 1, body.TrimEnd('\n').Split('\n').Length);
    }
}
