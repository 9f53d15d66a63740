using EventStore.GraphQL.Transport.Requests;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;
using Microsoft.Extensions.DependencyInjection;

namespace EventStore.IntegrationTests.Api;

/// <summary>
/// The parsed-document cache (Transport/ParsedDocumentCache, docs/performance.md#graphql-document-cache) saves the parse
/// and the specification rules only: a document a first caller was allowed to run is still refused to a second caller who
/// may not, and still checked against each request's own variables, although the second request is answered from the
/// cache and skips GraphQL.NET's own rules.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ParsedDocumentCacheTests(AppFixture app) : IAsyncLifetime
{
    private readonly GraphQLClient _client = new(app.Host);

    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task a_cached_admin_mutation_is_still_forbidden_to_a_trader_and_its_variables_are_still_checked()
    {
        // A text no other test sends, so the first request below is the one that fills the cache.
        var halt = $"mutation($s: String!, $r: String!) {{ haltInstrument(symbol: $s, reason: $r) {{ tradable }} }} # {Guid.NewGuid():N}";
        var resume = "mutation($s: String!) { resumeInstrument(symbol: $s) { tradable } }";
        var cache = app.Host.Services.GetRequiredService<ParsedDocumentCache>();
        var admin = await _client.LogInAsAdminAsync();
        var (_, trader) = await _client.RegisterAndLogInAsync("cache-trader");

        var halted = (await _client.SendAsync(halt, new { s = "MSFT", r = "news pending" }, admin)).Ok("haltInstrument");
        var hitsBefore = cache.Hits;
        var skippedBefore = cache.SpecRulesSkipped;
        var forbidden = await _client.SendAsync(halt, new { s = "MSFT", r = "news pending" }, trader);
        var controlCharacter = await _client.SendAsync(halt, new { s = "MSFT", r = "bell \u0007" }, admin);
        var hitsAfter = cache.Hits;
        var skippedAfter = cache.SpecRulesSkipped;
        (await _client.SendAsync(resume, new { s = "MSFT" }, admin)).Ok("resumeInstrument");

        Assert.False(halted["tradable"]!.GetValue<bool>());
        Assert.Equal(hitsBefore + 2, hitsAfter); // both answered from the cache, both refused all the same
        // The admin's run passed GraphQL.NET's specification rules, so neither request ran them again; our own rules
        // (authorization, input hygiene) ran all the same.
        Assert.Equal(skippedBefore + 2, skippedAfter);
        Assert.Equal(["FORBIDDEN"], forbidden.Codes);
        Assert.Null(forbidden.Data?["haltInstrument"]);
        Assert.Equal(["VALIDATION"], controlCharacter.Codes);
    }

    [Fact]
    public async Task a_refused_document_is_not_kept()
    {
        var cache = app.Host.Services.GetRequiredService<ParsedDocumentCache>();
        var bad = $"{{ __typename # {Guid.NewGuid():N}\n";

        var first = await _client.SendAsync(bad);
        var hits = cache.Hits;
        var second = await _client.SendAsync(bad);

        Assert.NotEmpty(first.Errors);
        Assert.NotEmpty(second.Errors);
        Assert.Equal(hits, cache.Hits);
    }
}
