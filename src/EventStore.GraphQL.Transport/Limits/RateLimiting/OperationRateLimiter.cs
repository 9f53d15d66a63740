using System.Security.Claims;
using GraphQLParser.AST;
using Microsoft.Extensions.Options;

namespace EventStore.GraphQL.Transport.Limits.RateLimiting;

/// <summary>
/// The one rate limiter of the API, the same for HTTP and WebSocket: every root field of an operation is one hit (so
/// 200 aliased `login`s are 200 attempts). Hits count against the caller's user, or without a token against the client
/// address; the auth fields (<see cref="GraphQLTransportOptions.AuthFields"/>; `login` and `register` in the Api) also
/// count against the username they name and the address they come from, with a backoff that grows while the attempts go
/// on, whatever token the request carries; the posting fields (`createPost` and `commentOnPost` in the Api) also count
/// against the user's posting allowance. Fields beyond an allowance are refused, the ones before it run.
/// </summary>
public interface IOperationRateLimiter
{
    /// <summary>Charges the root fields of one operation; which of them are refused, and for how long.</summary>
    Task<RateDecision> DecideAsync(ClaimsPrincipal? user, string clientAddress, IReadOnlyList<RootField> fields,
        CancellationToken cancellationToken);
}

/// <summary>
/// The rate limiter of <see cref="IOperationRateLimiter"/> over <see cref="IRateCounters"/>; which fields are auth and posting
/// fields, and how a user is keyed, come from <see cref="GraphQLTransportOptions"/>.
/// </summary>
public sealed class OperationRateLimiter(IRateCounters counters, IOptions<GraphQLOptions> options, GraphQLTransportOptions transport)
    : IOperationRateLimiter
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    public async Task<RateDecision> DecideAsync(ClaimsPrincipal? user, string clientAddress, IReadOnlyList<RootField> fields,
        CancellationToken cancellationToken)
    {
        if (fields.Count == 0)
        {
            return RateDecision.Allowed;
        }

        var limits = options.Value;
        var charges = new List<CounterCharge>();
        var members = new List<int[]>(); // for each charge, the indexes of the fields it counts, in order
        var all = Enumerable.Range(0, fields.Count).ToArray();
        if (transport.UserKey(user) is { } id)
        {
            Add(new CounterCharge("user:" + id, fields.Count, limits.RequestsPerMinutePerUser, Minute), all);
            var posting = all.Where(i => transport.PostingFields.Contains(fields[i].Name)).ToArray();
            if (posting.Length > 0)
            {
                Add(new CounterCharge("post:" + id, posting.Length, limits.PostsPerMinutePerUser, Minute), posting);
            }
        }
        else
        {
            Add(new CounterCharge("ip:" + clientAddress, fields.Count, limits.AnonymousRequestsPerMinute, Minute), all);
        }

        var auth = all.Where(i => transport.AuthFields.Contains(fields[i].Name)).ToArray();
        if (auth.Length > 0)
        {
            Add(Auth("auth-ip:" + clientAddress, auth.Length, limits.AuthAttemptsPerAddress, limits), auth);
            foreach (var byName in auth.Where(i => fields[i].Username is not null).GroupBy(i => fields[i].Username!, StringComparer.Ordinal))
            {
                var indexes = byName.ToArray();
                Add(Auth("auth-user:" + byName.Key, indexes.Length, limits.AuthAttemptsPerUsername, limits), indexes);
            }
        }

        if (charges.Count == 0)
        {
            return RateDecision.Allowed;
        }

        var states = await counters.ChargeAsync(charges, cancellationToken);
        var refused = new Dictionary<GraphQLField, TimeSpan>(ReferenceEqualityComparer.Instance);
        for (var c = 0; c < charges.Count; c++)
        {
            var before = states[c].Count - charges[c].Cost;
            var allowed = Math.Clamp(charges[c].Limit - before, 0, charges[c].Cost);
            foreach (var index in members[c].Skip((int)allowed))
            {
                var node = fields[index].Node;
                refused[node] = refused.TryGetValue(node, out var wait) && wait > states[c].ResetsIn ? wait : states[c].ResetsIn;
            }
        }

        return new RateDecision(refused, refused.Count == fields.Count);

        void Add(CounterCharge charge, int[] indexes)
        {
            if (charge.Limit > 0)
            {
                charges.Add(charge);
                members.Add(indexes);
            }
        }
    }

    private static CounterCharge Auth(string key, int cost, int limit, GraphQLOptions limits) =>
        new(key, cost, limit, limits.AuthWindow, limits.AuthBackoff, limits.AuthBackoffMax);
}

/// <summary>The root fields refused, with how long until they may be tried again; whether that is all of them.</summary>
public sealed record RateDecision(IReadOnlyDictionary<GraphQLField, TimeSpan> Refused, bool AllRefused)
{
    public static readonly RateDecision Allowed = new(new Dictionary<GraphQLField, TimeSpan>(), false);

    public TimeSpan RetryAfter => Refused.Count == 0 ? TimeSpan.Zero : Refused.Values.Max();
}
