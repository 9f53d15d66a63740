using System.Diagnostics;
using System.Globalization;
using Alba;
using EventStore.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace EventStore.IntegrationTests.Limits;

/// <summary>
/// Cost caps on the parsed document, before validation and before any resolver (issue 16: 8,000 aliases cost 14.5 s of
/// CPU; nothing capped aliases, fields or errors). Default caps, on a node that accepts bodies up to 1 MiB so the caps,
/// not the body limit, are what refuses; at most 5 errors per response.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class CostCapTests(AppFixture app, ITestOutputHelper output) : IAsyncLifetime
{
    private const int MaxErrors = 5;
    private IAlbaHost _node = null!;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        _node = await app.StartSecondNodeAsync(
            ("GraphQL:MaxRequestBytes", (1024 * 1024).ToString(CultureInfo.InvariantCulture)),
            ("GraphQL:MaxErrors", MaxErrors.ToString(CultureInfo.InvariantCulture)),
            ("GraphQL:AnonymousRequestsPerMinute", "0"));
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task eight_thousand_aliases_are_refused_before_any_resolver_runs()
    {
        var before = (await app.AllEventsAsync()).Count;
        var query = "mutation($i: RegisterInput!) { " + string.Join(" ",
            Enumerable.Range(0, 8000).Select(i => $"a{i}: register(input: $i) {{ id }}")) + " }";
        var input = new { i = new { username = "alias-bomb", email = "alias-bomb@example.com", password = "alias-bomb-password", displayName = "Bomb" } };

        await LimitedHttp.PostAsync(_node, "10.16.1.1", "{ " + string.Join(" ", Enumerable.Range(0, 40).Select(i => $"w{i}: __typename")) + " }");
        var clock = Stopwatch.StartNew();
        var reply = await LimitedHttp.PostAsync(_node, "10.16.1.1", query, input);
        clock.Stop();
        // For docs/performance.md, never asserted: the whole request through the in-memory server, and the gate's own
        // work (parse and count) on this document, best of five.
        var gate = Enumerable.Range(0, 5).Select(attempt =>
        {
            var once = Stopwatch.StartNew();
            _ = EventStore.GraphQL.Transport.Limits.DocumentCost.Of(GraphQLParser.Parser.Parse(query));
            return once.Elapsed.TotalMilliseconds;
        }).Min();
        output.WriteLine($"8,000 aliases ({query.Length} characters): request refused in {clock.Elapsed.TotalMilliseconds:F1} ms; "
            + $"parse + count {gate:F1} ms (not asserted)");

        var error = Assert.Single(reply.Errors);
        Assert.Equal("VALIDATION", error["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal("TOO_MANY_ALIASES", error["extensions"]!["reason"]!.GetValue<string>());
        Assert.Null(reply.Json["data"]);
        Assert.Equal(before, (await app.AllEventsAsync()).Count); // no register resolver ran
    }

    [Fact]
    public async Task two_hundred_aliased_logins_are_refused_whole_by_the_alias_cap()
    {
        var reply = await LimitedHttp.PostAsync(_node, "10.16.1.2", LimitedHttp.AliasedLogins(200, _ => "cap-victim"));

        var error = Assert.Single(reply.Errors);
        Assert.Equal("TOO_MANY_ALIASES", error["extensions"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task too_many_selected_fields_are_refused_before_execution()
    {
        var query = "{ instruments { " + string.Join(" ", Enumerable.Repeat("symbol", 600)) + " } }";

        var reply = await LimitedHttp.PostAsync(_node, "10.16.1.3", query);

        var error = Assert.Single(reply.Errors);
        Assert.Equal("TOO_MANY_FIELDS", error["extensions"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task fragments_count_where_they_are_spread()
    {
        // 30 aliases in a fragment spread twice are 60 aliases.
        var query = "query { ...f ...g } fragment f on Query { " + string.Join(" ", Enumerable.Range(0, 30).Select(i => $"x{i}: __typename"))
            + " } fragment g on Query { ...f }";

        var reply = await LimitedHttp.PostAsync(_node, "10.16.1.4", query);

        Assert.Equal("TOO_MANY_ALIASES", Assert.Single(reply.Errors)["extensions"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task a_response_holds_at_most_the_configured_number_of_errors()
    {
        // Ten fields an anonymous caller may not use: ten UNAUTHENTICATED errors, capped at five.
        var query = "{ " + string.Join(" ", Enumerable.Range(0, 10).Select(i => $"m{i}: me {{ id }}")) + " }";

        var reply = await LimitedHttp.PostAsync(_node, "10.16.1.5", query);

        Assert.Equal(MaxErrors, reply.Errors.Count);
        Assert.Equal(MaxErrors - 1, reply.Count("UNAUTHENTICATED"));
        Assert.Equal("TOO_MANY_ERRORS", reply.Errors[^1]["extensions"]!["code"]!.GetValue<string>());
    }
}
