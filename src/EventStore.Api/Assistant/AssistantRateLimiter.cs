using Microsoft.Extensions.Options;

namespace EventStore.Api.Assistant;

/// <summary>
/// Per-user sliding window of one minute over assistant requests (askAssistant and @assistant mentions), on this node.
/// In memory on purpose: it protects the provider and the bill from one user's burst; it is not an accounting record
/// (that is the AI usage read model).
/// </summary>
public sealed class AssistantRateLimiter(IOptions<AssistantOptions> options, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, Queue<DateTimeOffset>> _requests = [];

    public bool TryAcquire(Guid userId)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_requests.Count > 10_000)
            {
                foreach (var idle in _requests.Where(kv => kv.Value.All(t => now - t >= Window)).Select(kv => kv.Key).ToList())
                {
                    _requests.Remove(idle);
                }
            }

            if (!_requests.TryGetValue(userId, out var recent))
            {
                _requests[userId] = recent = new Queue<DateTimeOffset>();
            }

            while (recent.Count > 0 && now - recent.Peek() >= Window)
            {
                recent.Dequeue();
            }

            if (recent.Count >= options.Value.RequestsPerMinute)
            {
                return false;
            }

            recent.Enqueue(now);
            return true;
        }
    }
}

/// <summary>askAssistant was called too often: RATE_LIMITED, and nothing is recorded.</summary>
public sealed class AssistantRateLimitedException() : Exception(Domain.Assistant.AssistantRules.RateLimitedAnswer);
