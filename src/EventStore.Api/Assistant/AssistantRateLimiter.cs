using Marten;
using JasperFx;
using Microsoft.Extensions.Options;

namespace EventStore.Api.Assistant;

/// <summary>
/// A user's assistant requests in the last minute (askAssistant and @assistant mentions), one document per user.
/// Shared by every node through PostgreSQL, with optimistic concurrency: two nodes taking the last slot at once
/// cannot both succeed.
/// </summary>
public sealed class AssistantQuota
{
    public Guid Id { get; set; }

    public List<DateTimeOffset> Recent { get; set; } = [];
}

/// <summary>
/// Per-user sliding window of one minute over assistant requests, across all nodes (the quota is a document in
/// PostgreSQL, written with optimistic concurrency, so a user cannot multiply the limit by spreading requests over
/// nodes). It protects the provider and the bill from one user's burst; it is not an accounting record (that is the AI
/// usage read model and the analytics tables).
/// </summary>
public sealed class AssistantRateLimiter(IDocumentStore store, IOptions<AssistantOptions> options, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private const int Attempts = 10;

    /// <summary>Takes one request of the user's quota; false when the last minute's requests already reach the limit.</summary>
    public async Task<bool> TryAcquireAsync(Guid userId, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession();
            var quota = await session.LoadAsync<AssistantQuota>(userId, ct);
            var now = time.GetUtcNow();
            var recent = (quota?.Recent ?? []).Where(t => now - t < Window).ToList();
            if (recent.Count >= options.Value.RequestsPerMinute)
            {
                return false;
            }

            recent.Add(now);
            if (quota is null)
            {
                session.Insert(new AssistantQuota { Id = userId, Recent = recent });
            }
            else
            {
                quota.Recent = recent;
                session.Store(quota);
            }

            try
            {
                await session.SaveChangesAsync(ct);
                return true;
            }
            catch (Exception e) when (e is ConcurrencyException or DocumentAlreadyExistsException && attempt < Attempts)
            {
                // Another request of this user took a slot meanwhile (on this node or another): count again, a moment
                // later so that a burst spreads out. Past the last attempt the request is refused, never let through.
                await Task.Delay(Random.Shared.Next(5, 25), ct);
            }
        }
    }
}

/// <summary>askAssistant was called too often: RATE_LIMITED, and nothing is recorded.</summary>
public sealed class AssistantRateLimitedException() : Exception(Domain.Assistant.AssistantRules.RateLimitedAnswer);
