using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using EventStore.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace EventStore.IntegrationTests.Api.Malformed;

/// <summary>
/// Seeded fuzzing of `/graphql` over Kestrel on loopback: documents generated from the SDL snapshot (real fields and
/// arguments, right and wrong types, as literals and as variables), the same with the document text damaged, and
/// byte-level mutations of valid bodies; sent anonymously, as a trader and as the admin, with Content-Length or
/// chunked, by POST and by GET. Every answer must be GraphQL-shaped with a client error code, never a 5xx, never
/// INTERNAL; afterwards the app is ready and nothing was logged at Error. Bounded in count and in time; the seed is
/// printed, and `EVENTSTORE_FUZZ_SEED` repeats a run.
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class HttpFuzzTests(MalformedRequestFixture app, ITestOutputHelper output)
{
    private static readonly TimeSpan Budget = FuzzSeed.Budget(TimeSpan.FromSeconds(45));

    private static readonly string?[] Accepts =
        [null, "application/json", "application/graphql-response+json", "application/graphql-response+json, application/json;q=0.9", "*/*"];

    [Fact]
    public async Task generated_and_mutated_requests_never_get_a_5xx_nor_leave_an_error_in_the_log()
    {
        var seed = FuzzSeed.Value;
        var random = new Random(seed);
        var generator = new DocumentGenerator(SchemaModel.Load(), random);
        var mutator = new ByteMutator(random);
        var tokens = await FuzzSeed.TokensAsync(app);
        var logMark = app.Log.Entries.Count;
        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        var known = new SortedDictionary<string, int>();
        var executed = 0;
        var clock = Stopwatch.StartNew();
        using var client = app.CreateClient();

        var sent = 0;
        for (; sent < FuzzSeed.Requests(800) && clock.Elapsed < Budget; sent++)
        {
            var clean = random.Next(100) < 35;
            var request = generator.Next(withSlips: !clean);
            var mode = random.Next(100) switch { < 45 => clean ? "generated" : "generated with slips", < 60 => "damaged document", _ => "mutated bytes" };
            if (mode == "damaged document")
            {
                request = request with { Query = generator.Damage(request.Query) }; // sent as is by POST and by GET
            }

            var body = mode == "mutated bytes" ? mutator.Mutate(request.ToBytes()) : request.ToBytes();
            var framing = random.Next(100) switch { < 10 when mode != "mutated bytes" && body.Length < 3000 => "GET", < 22 => "chunked", _ => "length" };
            var token = tokens[random.Next(tokens.Length)];
            var accept = Accepts[random.Next(Accepts.Length)];

            using var message = Build(framing, request, body, token, accept);
            using var response = await client.SendAsync(message);
            var text = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var problem = ResponseChecks.CheckHttp(status, response.Content.Headers.ContentType?.MediaType, text);
            executed += problem is null && text.Contains("\"data\":", StringComparison.Ordinal) ? 1 : 0;
            var sentText = framing == "GET" ? Uri.UnescapeDataString(message.RequestUri!.ToString()) : Encoding.UTF8.GetString(body);
            if (problem is not null && ResponseChecks.IsInternal(text) && KnownFindings.MatchInternal(sentText) is { } finding)
            {
                known[finding.Name] = known.GetValueOrDefault(finding.Name) + 1;
            }
            else if (problem is not null && failures.Count < 25)
            {
                failures.Add($"#{sent} ({mode}, {framing}, {(token is null ? "anonymous" : "signed in")}): {problem}\n"
                    + $"  request: {Preview(sentText)}\n"
                    + $"  response: {Preview(text)}");
            }
        }

        using var ready = await client.GetAsync("health/ready");
        var errors = KnownFindings.Unexplained(app.ErrorsSince(logMark), known);

        output.WriteLine($"seed {seed}: {sent} requests in {clock.Elapsed.TotalSeconds:F0} s, {executed} executed with data; statuses "
            + string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}")) + $"; {errors.Count} errors logged");
        output.WriteLine("known findings owned by other work (KnownFindings): "
            + (known.Count == 0 ? "none" : string.Join("; ", known.Select(k => $"{k.Key}: {k.Value}"))));

        Assert.True(sent >= 100, $"Only {sent} requests in {Budget}: the fuzz did not run (seed {seed}).");
        // A generator that only produced garbage would prove little: enough requests must get past validation.
        Assert.True(executed >= sent / 25, $"Only {executed} of {sent} requests executed (seed {seed}).");
        Assert.True(failures.Count == 0 && errors.Count == 0, $"seed {seed}:\n" + string.Join("\n", failures)
            + "\nlogged at Error:\n" + string.Join("\n", errors.GroupBy(Signature).Select(g => $"{g.Count()} x {Preview(g.First().ToString(), 1200)}")));
        Assert.True(ready.IsSuccessStatusCode, $"seed {seed}: readiness {(int)ready.StatusCode} {await ready.Content.ReadAsStringAsync()}");
    }

    private HttpRequestMessage Build(string framing, FuzzRequest request, byte[] body, string? token, string? accept)
    {
        HttpRequestMessage message;
        if (framing == "GET")
        {
            var query = new StringBuilder("graphql?query=").Append(Uri.EscapeDataString(request.Query));
            if (request.Variables is not null)
            {
                query.Append("&variables=").Append(Uri.EscapeDataString(request.Variables.ToJsonString()));
            }

            if (request.OperationName is not null)
            {
                query.Append("&operationName=").Append(Uri.EscapeDataString(request.OperationName));
            }

            message = new HttpRequestMessage(HttpMethod.Get, query.ToString());
        }
        else
        {
            // Chunked: a stream of unknown length makes HttpClient send Transfer-Encoding: chunked.
            HttpContent content = framing == "chunked" ? new StreamContent(new UnseekableStream(body)) : new ByteArrayContent(body);
            content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
            message = new HttpRequestMessage(HttpMethod.Post, "graphql") { Content = content };
        }

        if (accept is not null)
        {
            message.Headers.TryAddWithoutValidation("Accept", accept);
        }

        if (token is not null)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return message;
    }

    /// <summary>Where an error was logged and what it was, without the details that differ each time.</summary>
    internal static string Signature(LogEntry entry) =>
        $"{entry.Category} {entry.Exception?.GetType().Name} {entry.Exception?.InnerException?.GetType().Name} "
        + (entry.Exception?.Message ?? entry.Message).Split('\n')[0][..Math.Min(80, (entry.Exception?.Message ?? entry.Message).Split('\n')[0].Length)];

    internal static string Preview(string text, int length = 600)
    {
        var escaped = text.Replace("\n", "\\n", StringComparison.Ordinal);
        return escaped.Length <= length ? escaped : escaped[..length] + $"… ({text.Length} chars)";
    }
}
