using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alba;
using EventStore.Api.Database;
using EventStore.Domain.Privacy;
using EventStore.Domain.Users;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;
using EventStore.Projections.Users;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EventStore.IntegrationTests.Projections;

/// <summary>Its own host and database: the poison event and the dead letters stay out of the shared collection.</summary>
public sealed class DeadLetterFixture : AppFixture;

[CollectionDefinition(Name)]
public sealed class DeadLetterCollection : ICollectionFixture<DeadLetterFixture>
{
    public const string Name = "deadletters";
}

/// <summary>
/// The poison: a registration whose display name holds U+0000. The event stores fine (personal data is sealed, so the
/// NUL is inside ciphertext), but PostgreSQL refuses U+0000 in jsonb and text, so every projection that writes the
/// opened name (UserProfile, SearchDocuments) fails when its batch is WRITTEN, not in its code. That is how an event
/// appended before input rules rejected NUL (or by any path that bypasses them) behaves. The test appends it through
/// Marten directly, bypassing the command and its validation, sealed with the app's own key like a real registration.
/// </summary>
[Collection(DeadLetterCollection.Name)]
public sealed class DeadLetterTests(DeadLetterFixture app) : IAsyncLifetime
{
    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task a_poison_event_is_dead_lettered_skipped_reported_survives_a_rebuild_and_replays_after_the_fix()
    {
        using var recorded = new DeadLetterCounter();
        var (alice, _) = await _client.RegisterAndLogInAsync("alice");
        var (mallory, poison) = await AppendPoisonRegistrationAsync("mallory", "Mal\0lory");
        var (bob, _) = await _client.RegisterAndLogInAsync("bob");
        await app.WaitForProjectionsAsync(); // completes only if UserProfile moved past the poison event
        var admin = await _client.LogInAsAdminAsync();

        // Later events still reach the read model; the poison one does not.
        Assert.Equal("bob", (await ProfileAsync(bob))?.DisplayName);
        Assert.Equal("alice", (await ProfileAsync(alice))?.DisplayName);
        Assert.Null(await ProfileAsync(mallory));

        // The dead letter names the projection, event and failure, and nothing of the event's data.
        var letters = await DeadLettersAsync(admin, "UserProfile");
        var letter = Assert.Single(letters);
        Assert.Equal(poison, letter["sequence"]!.GetValue<long>());
        Assert.Equal(mallory.ToString(), letter.Str("streamId"));
        Assert.Equal("user_registered", letter.Str("eventType"));
        Assert.Contains("22P05", letter.Str("error"), StringComparison.Ordinal);
        Assert.DoesNotContain("Mal", letter.Str("error"), StringComparison.Ordinal);
        Assert.Contains(recorded.Projections, p => p == "UserProfile");

        var ready = await ReadinessAsync(200);
        Assert.StartsWith("Degraded", ready, StringComparison.Ordinal);
        Assert.Contains("UserProfile has 1 dead letter(s)", ready, StringComparison.Ordinal);

        var profile = await ProjectionAsync(admin, "UserProfile");
        Assert.Equal(1, profile["deadLetterCount"]!.GetValue<long>());
        Assert.Equal(0, profile["lag"]!.GetValue<long>());
        Assert.Equal("RUNNING", profile.Str("status"));

        // A rebuild meets the poison event again: it records it (once) and completes.
        var rebuilt = await _client.SendAsync("mutation { rebuildProjection(name: \"UserProfile\") { name lag deadLetterCount } }", null, admin);
        Assert.Equal(1, rebuilt.Ok("rebuildProjection")["deadLetterCount"]!.GetValue<long>());
        await app.WaitForProjectionsAsync();
        Assert.Equal("bob", (await ProfileAsync(bob))?.DisplayName);
        Assert.Single(await DeadLettersAsync(admin, "UserProfile"));

        // The fix: a data repair of the event (the maintenance path; a projection fix deployed would do as well), then replay.
        await RepairDisplayNameAsync(poison, mallory, "Mallory");
        foreach (var projection in (await DeadLettersAsync(admin, null)).Select(x => x.Str("projection")).Distinct())
        {
            var replay = (await _client.SendAsync(
                "mutation($p: String!) { replayDeadLetters(projection: $p) { replayed failed { id error } } }", new { p = projection }, admin))
                .Ok("replayDeadLetters");
            Assert.Empty(replay["failed"]!.AsArray());
            Assert.True(replay["replayed"]!.GetValue<int>() >= 1);
        }

        Assert.Equal("Mallory", (await ProfileAsync(mallory))?.DisplayName);
        Assert.Empty(await DeadLettersAsync(admin, null));
        Assert.Equal("Healthy", await ReadinessAsync(200));
    }

    [Fact]
    public async Task dead_letters_and_replays_are_for_admins_only()
    {
        var (_, token) = await _client.RegisterAndLogInAsync("trader");

        var list = await _client.SendAsync("{ deadLetters { edges { node { id } } } }", null, token);
        var replay = await _client.SendAsync("mutation { replayDeadLetters(projection: \"UserProfile\") { replayed } }", null, token);

        Assert.Contains("FORBIDDEN", list.Codes);
        Assert.Contains("FORBIDDEN", replay.Codes);
    }

    private async Task<(Guid Id, long Sequence)> AppendPoisonRegistrationAsync(string username, string displayName)
    {
        var store = app.Host.Services.GetRequiredService<IDocumentStore>();
        var protector = app.Host.Services.GetRequiredService<PersonalDataProtector>();
        var id = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow;
        await using var session = store.LightweightSession();
        var sealer = await protector.SealerAsync(session, id, now, CancellationToken.None);
        session.Events.StartStream<User>(id,
            new UserRegistered(id, sealer.Seal(username), sealer.Seal($"{username}@example.com"), sealer.Seal(displayName), now));
        await session.SaveChangesAsync();
        var events = await session.Events.FetchStreamAsync(id);
        return (id, events.Single().Sequence);
    }

    /// <summary>Replaces the sealed display name in the stored event with <paramref name="displayName"/>, sealed with the user's key.</summary>
    private async Task RepairDisplayNameAsync(long sequence, Guid subject, string displayName)
    {
        var store = app.Host.Services.GetRequiredService<IDocumentStore>();
        var protector = app.Host.Services.GetRequiredService<PersonalDataProtector>();
        await using var session = store.LightweightSession();
        var sealedName = (await protector.SealerAsync(session, subject, DateTimeOffset.UtcNow, CancellationToken.None)).Seal(displayName);

        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var read = new NpgsqlCommand("select data::text from eventstore.mt_events where seq_id = @s", connection);
        read.Parameters.AddWithValue("s", sequence);
        var data = JsonNode.Parse((string)(await read.ExecuteScalarAsync())!)!.AsObject();
        var property = data.Select(p => p.Key).Single(k => k.Equals("DisplayName", StringComparison.OrdinalIgnoreCase));
        data[property] = JsonNode.Parse(JsonSerializer.Serialize(sealedName));
        // The log is append-only (EventLogGuard): a repair is the owner's, through the logged maintenance switch.
        var owner = app.Host.Services.GetRequiredService<PostgresConnectionSource>().OwnerConnectionString;
        await using var repair = new NpgsqlConnection(MaintenanceMode.SessionConnectionString(owner, "test-repair-of-a-poison-event"));
        await repair.OpenAsync();
        await using var transaction = await repair.BeginTransactionAsync();
        await using var write = new NpgsqlCommand("update eventstore.mt_events set data = @d::jsonb where seq_id = @s", repair, transaction);
        write.Parameters.AddWithValue("s", sequence);
        write.Parameters.AddWithValue("d", data.ToJsonString());
        Assert.Equal(1, await write.ExecuteNonQueryAsync());
        await transaction.CommitAsync();
    }

    /// <summary>The read model's row (the `user` query would fall back to the live stream when there is none).</summary>
    private async Task<UserProfile?> ProfileAsync(Guid id)
    {
        await using var session = app.Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.LoadAsync<UserProfile>(id);
    }

    private async Task<IReadOnlyList<JsonNode>> DeadLettersAsync(string token, string? projection) =>
        (await _client.SendAsync(
            "query($p: String) { deadLetters(projection: $p, first: 100) { edges { node { id projection sequence streamId eventType error } } } }",
            new { p = projection }, token))
        .Ok("deadLetters")["edges"]!.AsArray().Select(e => e!["node"]!).ToList();

    private async Task<JsonNode> ProjectionAsync(string token, string name) =>
        (await _client.SendAsync("{ projections { name status lag deadLetterCount } }", null, token))
        .Ok("projections").AsArray().Single(p => p!.Str("name") == name)!;

    private async Task<string> ReadinessAsync(int status)
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Get.Url("/health/ready");
            s.StatusCodeShouldBe(status);
        });
        return await result.ReadAsTextAsync();
    }

    /// <summary>Listens to the "EventStore" meter's dead-letter counter (System.Diagnostics.Metrics, in process).</summary>
    private sealed class DeadLetterCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<string> _projections = [];

        public DeadLetterCounter()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "EventStore" && instrument.Name == "eventstore.projection.dead_letters.recorded")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "projection" && tag.Value is string name)
                    {
                        lock (_projections)
                        {
                            _projections.Add(name);
                        }
                    }
                }
            });
            _listener.Start();
        }

        public IReadOnlyList<string> Projections
        {
            get
            {
                lock (_projections)
                {
                    return [.. _projections];
                }
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
