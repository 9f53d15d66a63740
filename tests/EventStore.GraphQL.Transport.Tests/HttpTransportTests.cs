using System.Net;
using EventStore.GraphQL.Transport.Requests;
using Microsoft.Extensions.DependencyInjection;

namespace EventStore.GraphQL.Transport.Tests;

/// <summary>GraphQL over HTTP on a real Kestrel: content negotiation, malformed requests, the document cache, the cost caps.</summary>
public sealed class HttpTransportTests(TransportHostFixture fixture) : IClassFixture<TransportHostFixture>
{
    private TransportHost Host => fixture.Host;

    [Fact]
    public async Task a_post_with_graphql_response_json_accepted_is_answered_in_that_media_type()
    {
        var reply = await Host.PostAsync("""{"query":"query($n: String) { hello(name: $n) }","variables":{"n":"Ada"}}""");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("application/graphql-response+json", reply.MediaType);
        Assert.Equal("Hello, Ada", reply.Body["data"]?["hello"]?.GetValue<string>());
    }

    [Fact]
    public async Task a_get_without_accept_header_is_answered_as_application_json()
    {
        var reply = await Host.GetAsync("/graphql?query=" + Uri.EscapeDataString("{ hello }"));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("application/json", reply.MediaType);
        Assert.Equal("Hello, world", reply.Body["data"]?["hello"]?.GetValue<string>());
    }

    [Fact]
    public async Task a_mutation_sent_with_get_is_refused_with_405_and_nothing_runs()
    {
        var bumps = Host.Probe.Bumps;
        using var response = await Host.Http.GetAsync("/graphql?query=" + Uri.EscapeDataString("mutation { bump }"));
        var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("POST", Assert.Single(response.Content.Headers.Allow));
        Assert.Equal("BAD_REQUEST", body?["errors"]?[0]?["extensions"]?["code"]?.GetValue<string>());
        Assert.Equal(bumps, Host.Probe.Bumps);
    }

    [Fact]
    public async Task an_accept_header_without_a_json_type_is_406()
    {
        var reply = await Host.PostAsync("""{"query":"{ hello }"}""", accept: "text/html");

        Assert.Equal(HttpStatusCode.NotAcceptable, reply.Status);
        Assert.Equal("BAD_REQUEST", reply.FirstCode);
    }

    [Fact]
    public async Task malformed_json_is_400_with_a_bad_request_error()
    {
        var reply = await Host.PostAsync("""{"query": "{ hello }" """);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("BAD_REQUEST", reply.FirstCode);
        Assert.StartsWith("Not valid JSON", reply.FirstMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_duplicate_key_is_400()
    {
        var reply = await Host.PostAsync("""{"query":"{ hello }","query":"{ node { name } }"}""");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("BAD_REQUEST", reply.FirstCode);
    }

    [Fact]
    public async Task a_request_without_query_is_400()
    {
        var reply = await Host.PostAsync("""{"variables":{}}""");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("'query' must be a non-empty string.", reply.FirstMessage);
    }

    [Fact]
    public async Task a_body_that_is_not_json_is_415()
    {
        var reply = await Host.PostAsync("{ hello }", contentType: "application/graphql");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, reply.Status);
        Assert.Equal("Send the request as application/json.", reply.FirstMessage);
    }

    [Fact]
    public async Task a_body_over_max_request_bytes_is_413()
    {
        var reply = await Host.PostQueryAsync("{ hello }" + new string(' ', 4096));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, reply.Status);
        Assert.Equal("The request body exceeds 2048 bytes.", reply.FirstMessage);
    }

    [Fact]
    public async Task a_subscription_over_http_is_refused_without_execution()
    {
        var reply = await Host.PostQueryAsync("subscription { count(to: 2) }");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("BAD_REQUEST", reply.FirstCode);
        Assert.Null(reply.Body["data"]);
    }

    [Fact]
    public async Task the_same_text_sent_again_is_answered_from_the_document_cache()
    {
        var cache = Host.Services.GetRequiredService<ParsedDocumentCache>();
        var query = "{ hello(name: \"" + Guid.NewGuid().ToString("N") + "\") }";

        var first = await Host.PostQueryAsync(query);
        var hitsAfterFirst = cache.Hits;
        var second = await Host.PostQueryAsync(query);

        Assert.Equal(first.Body.ToJsonString(), second.Body.ToJsonString());
        Assert.True(cache.Hits >= hitsAfterFirst + 1, $"hits {hitsAfterFirst} -> {cache.Hits}");
    }

    [Fact]
    public async Task an_operation_that_passed_the_specification_rules_skips_them_when_sent_again_and_variables_are_still_checked()
    {
        var cache = Host.Services.GetRequiredService<ParsedDocumentCache>();
        var query = "query($n: String) { hello(name: $n) } # " + Guid.NewGuid().ToString("N");

        var first = await Host.PostAsync(Body(query, """{"n":"Ada"}"""));
        var skipped = cache.SpecRulesSkipped;
        var second = await Host.PostAsync(Body(query, """{"n":"Ada"}"""));
        var skippedAfterSecond = cache.SpecRulesSkipped;
        // The variable's type is still enforced on the fast path: GraphQL.NET coerces variables whatever the rules.
        var wrongType = await Host.PostAsync(Body(query, """{"n":{"not":"a string"}}"""));

        Assert.Equal("Hello, Ada", first.Body["data"]?["hello"]?.GetValue<string>());
        Assert.Equal(first.Body.ToJsonString(), second.Body.ToJsonString());
        Assert.Equal(skipped + 1, skippedAfterSecond);
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.Status);
        Assert.Null(wrongType.Body["data"]?["hello"]);
        Assert.NotNull(wrongType.Body["errors"]?[0]);
    }

    [Fact]
    public async Task a_document_that_failed_the_specification_rules_is_validated_in_full_every_time()
    {
        var cache = Host.Services.GetRequiredService<ParsedDocumentCache>();
        var query = "{ hello nope } # " + Guid.NewGuid().ToString("N");

        var first = await Host.PostQueryAsync(query);
        var skipped = cache.SpecRulesSkipped;
        var second = await Host.PostQueryAsync(query);

        Assert.Equal("FIELDS_ON_CORRECT_TYPE", first.FirstCode);
        Assert.Equal(first.Body.ToJsonString(), second.Body.ToJsonString());
        Assert.Equal(skipped, cache.SpecRulesSkipped);
    }

    [Fact]
    public async Task operations_are_recorded_one_by_one_by_name()
    {
        var cache = Host.Services.GetRequiredService<ParsedDocumentCache>();
        var query = "query Ada { hello(name: \"Ada\") } query Bob { hello(name: \"Bob\") } # " + Guid.NewGuid().ToString("N");

        await Host.PostAsync(Body(query, "{}", "Ada"));
        var skipped = cache.SpecRulesSkipped;
        var bob = await Host.PostAsync(Body(query, "{}", "Bob")); // Ada passed, Bob was never run: validated in full
        var skippedAfterBob = cache.SpecRulesSkipped;
        await Host.PostAsync(Body(query, "{}", "Bob"));

        Assert.Equal("Hello, Bob", bob.Body["data"]?["hello"]?.GetValue<string>());
        Assert.Equal(skipped, skippedAfterBob);
        Assert.Equal(skipped + 1, cache.SpecRulesSkipped);
    }

    private static string Body(string query, string variables, string? operationName = null) =>
        System.Text.Json.JsonSerializer.Serialize(new { query, operationName, variables = System.Text.Json.Nodes.JsonNode.Parse(variables) });

    [Fact]
    public async Task too_many_aliases_are_refused_before_any_resolver_runs()
    {
        var resolved = Host.Probe.ResolvedCount;
        var reply = await Host.PostQueryAsync("{ a: hello b: hello c: hello d: hello }");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("VALIDATION", reply.FirstCode);
        Assert.Equal("TOO_MANY_ALIASES", reply.Body["errors"]?[0]?["extensions"]?["reason"]?.GetValue<string>());
        Assert.Equal("The document has too many aliases: at most 3 are allowed.", reply.FirstMessage);
        Assert.Equal(resolved, Host.Probe.ResolvedCount);
    }

    [Fact]
    public async Task a_query_deeper_than_max_depth_is_refused()
    {
        var reply = await Host.PostQueryAsync("{ node { child { child { child { child { name } } } } } }");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("VALIDATION", reply.FirstCode);
        Assert.Equal("QUERY_TOO_COMPLEX", reply.Body["errors"]?[0]?["extensions"]?["reason"]?.GetValue<string>());
        Assert.Equal("The query is too nested to execute: it is 6 levels deep; at most 4 are allowed.", reply.FirstMessage);
    }

    [Fact]
    public async Task a_query_within_max_depth_runs()
    {
        var reply = await Host.PostQueryAsync("{ node { child { child { name } } } }");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("node", reply.Body["data"]?["node"]?["child"]?["child"]?["name"]?.GetValue<string>());
    }
}

/// <summary>The anonymous allowance (`GraphQL:AnonymousRequestsPerMinute`) on a host of its own: counters in this process.</summary>
public sealed class HttpRateLimitTests
{
    [Fact]
    public async Task fields_beyond_the_anonymous_allowance_are_refused_with_429_and_retry_after()
    {
        await using var host = await TransportHost.StartAsync(("GraphQL:AnonymousRequestsPerMinute", "2"));

        var first = await host.PostQueryAsync("{ hello }");
        var second = await host.PostQueryAsync("{ hello }");
        var third = await host.PostQueryAsync("{ hello }");

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.Status);
        Assert.Equal("RATE_LIMITED", third.FirstCode);
        var retryAfter = int.Parse(third.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal(retryAfter, third.Body["errors"]?[0]?["extensions"]?["retryAfter"]?.GetValue<int>());
    }
}
