using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EventStore.Api.Auth;

/// <summary>
/// The bearer's token handler: the full check (signature, issuer, audience, algorithm, lifetime) the first time a token
/// is presented, and for the same token text again until its `exp` the identity that check produced, without parsing,
/// decoding and signing it again (docs/performance.md, "Validated tokens").
/// <list type="bullet">
/// <item>Only a token that passed the full check is kept, keyed by its exact text; any other text, and a kept token past
/// its `exp`, goes through the full check. So nothing is accepted here that the check would refuse: the cached answer
/// ends at `exp`, before the check's clock skew would.</item>
/// <item>What makes a valid token speak for its user (the user is active, the security stamp and the session are current)
/// is not decided here: <see cref="Sessions.SessionGuard"/> still runs on every request, cached token or not, so a
/// deactivation or a logout refuses a cached token at once.</item>
/// <item>Each request gets its own copy of the identity, so no request can change what another one sees.</item>
/// <item>Bounded: at most <see cref="Capacity"/> tokens; when full, the expired ones go, and if none had expired,
/// all of them (they are only a cache: the next request of each is checked in full).</item>
/// </list>
/// The signing key is fixed for the process (<see cref="SigningKeyProvider"/>), so a kept answer cannot outlive its key.
/// </summary>
public sealed class ValidatedTokenCache : JsonWebTokenHandler
{
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, Validated> _tokens = new(StringComparer.Ordinal);
    private long _hits;

    public ValidatedTokenCache()
    {
        MapInboundClaims = false;
    }

    /// <summary>Requests authenticated from the cache since start (tests and diagnostics).</summary>
    public long Hits => Interlocked.Read(ref _hits);

    public int Count => _tokens.Count;

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        // The wall clock, as the full check's lifetime rule reads it.
        var now = DateTime.UtcNow;
        if (_tokens.TryGetValue(token, out var kept))
        {
            if (now < kept.Until)
            {
                Interlocked.Increment(ref _hits);
                return new TokenValidationResult
                {
                    IsValid = true,
                    ClaimsIdentity = kept.Identity.Clone(),
                    SecurityToken = kept.Token,
                    Issuer = kept.Issuer,
                    TokenType = kept.TokenType,
                };
            }

            _tokens.TryRemove(token, out _);
        }

        var result = await base.ValidateTokenAsync(token, validationParameters).ConfigureAwait(false);
        if (result.IsValid && result.ClaimsIdentity is { } identity && result.SecurityToken is { } validated
            && validated.ValidTo > now)
        {
            if (_tokens.Count >= Capacity)
            {
                Trim(now);
            }

            // The kept identity is never handed out itself, only copies of it.
            _tokens[token] = new Validated(identity.Clone(), validated, result.Issuer, result.TokenType, validated.ValidTo);
        }

        return result;
    }

    private void Trim(DateTime now)
    {
        foreach (var (key, entry) in _tokens)
        {
            if (entry.Until <= now)
            {
                _tokens.TryRemove(key, out _);
            }
        }

        if (_tokens.Count >= Capacity)
        {
            _tokens.Clear();
        }
    }

    private sealed record Validated(ClaimsIdentity Identity, SecurityToken Token, string? Issuer, string? TokenType, DateTime Until);
}
