using System.Security.Claims;
using System.Text;
using EventStore.Api.Auth;
using EventStore.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EventStore.IntegrationTests.Users;

/// <summary>
/// A token checked once is answered from <see cref="ValidatedTokenCache"/> until its expiry, and that changes nothing a
/// caller can see: the session check still runs on every request, an altered token is checked in full, and each request
/// gets its own identity.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ValidatedTokenCacheTests(AppFixture app) : IAsyncLifetime
{
    private const string Me = "{ me { id } }";
    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task a_token_seen_before_comes_from_the_cache_and_is_still_refused_at_once_after_deactivation()
    {
        var tokens = app.Host.Services.GetRequiredService<ValidatedTokenCache>();
        var (id, token) = await _client.RegisterAndLogInAsync("cached-token");
        Assert.Equal(id.ToString(), (await _client.SendAsync(Me, token: token)).Ok("me").Str("id"));
        var hits = tokens.Hits;

        Assert.Equal(id.ToString(), (await _client.SendAsync(Me, token: token)).Ok("me").Str("id"));
        Assert.True(tokens.Hits > hits, "the second request with the same token was not answered from the cache");

        var admin = await _client.LogInAsAdminAsync();
        (await _client.SendAsync("mutation($input: DeactivateUserInput!) { deactivateUser(input: $input) { isActive } }",
            new { input = new { userId = id, reason = "test" } }, admin)).Ok("deactivateUser");
        hits = tokens.Hits;

        Assert.Equal(["UNAUTHENTICATED"], (await _client.SendAsync(Me, token: token)).Codes);
        Assert.True(tokens.Hits > hits, "the refused request did not come from the cache: the test would prove nothing");
    }

    [Fact]
    public async Task a_token_with_one_character_of_its_signature_changed_is_refused_while_the_original_is_cached()
    {
        var (id, token) = await _client.RegisterAndLogInAsync("altered-token");
        Assert.Equal(id.ToString(), (await _client.SendAsync(Me, token: token)).Ok("me").Str("id"));

        var at = token.Length - 10; // inside the signature, clear of base64url's last, partly unused character
        var altered = token[..at] + (token[at] == 'A' ? 'B' : 'A') + token[(at + 1)..];

        Assert.Equal(["UNAUTHENTICATED"], (await _client.SendAsync(Me, token: altered)).Codes);
        Assert.Equal(id.ToString(), (await _client.SendAsync(Me, token: token)).Ok("me").Str("id"));
    }

    [Fact]
    public async Task each_validation_hands_out_its_own_identity()
    {
        var handler = new ValidatedTokenCache();
        var token = Sign(DateTime.UtcNow.AddMinutes(5));

        var first = await handler.ValidateTokenAsync(token, Parameters());
        first.ClaimsIdentity.AddClaim(new Claim("role", "admin"));
        var second = await handler.ValidateTokenAsync(token, Parameters());

        Assert.True(second.IsValid);
        Assert.Equal(1, handler.Hits);
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
        Assert.DoesNotContain(second.ClaimsIdentity.Claims, c => c.Type == "role");
        Assert.Equal("trader-1", second.ClaimsIdentity.FindFirst("sub")?.Value);
    }

    [Fact]
    public async Task a_token_past_its_expiry_but_within_the_clock_skew_is_accepted_by_the_full_check_and_never_kept()
    {
        var handler = new ValidatedTokenCache();
        var token = Sign(DateTime.UtcNow.AddSeconds(-10)); // the check allows 30 s of skew

        var first = await handler.ValidateTokenAsync(token, Parameters());
        var second = await handler.ValidateTokenAsync(token, Parameters());

        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        Assert.Equal(0, handler.Hits);
        Assert.Equal(0, handler.Count);
    }

    [Fact]
    public async Task a_refused_token_is_never_kept()
    {
        var handler = new ValidatedTokenCache();
        var token = Sign(DateTime.UtcNow.AddMinutes(5), key: "another-key-of-the-right-length-0123456789abcdef");

        var first = await handler.ValidateTokenAsync(token, Parameters());
        var second = await handler.ValidateTokenAsync(token, Parameters());

        Assert.False(first.IsValid);
        Assert.False(second.IsValid);
        Assert.Equal(0, handler.Count);
    }

    private static SymmetricSecurityKey Key(string key) => new(Encoding.UTF8.GetBytes(key));

    private static TokenValidationParameters Parameters() => new()
    {
        ValidIssuer = "eventstore",
        ValidAudience = "eventstore",
        IssuerSigningKey = Key(AppFixture.SigningKey),
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        RequireExpirationTime = true,
        ClockSkew = TimeSpan.FromSeconds(30),
    };

    private static string Sign(DateTime expires, string key = AppFixture.SigningKey) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim("sub", "trader-1")]),
            Issuer = "eventstore",
            Audience = "eventstore",
            IssuedAt = expires.AddHours(-1),
            NotBefore = expires.AddHours(-1),
            Expires = expires,
            SigningCredentials = new SigningCredentials(Key(key), SecurityAlgorithms.HmacSha256),
        });
}
