using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.WebSockets;
using Xunit.Abstractions;

namespace EventStore.IntegrationTests.Api.Malformed;

/// <summary>
/// Seeded fuzzing of the graphql-transport-ws transport over a real socket: `subscribe` messages with generated
/// documents (some damaged), byte-mutated messages, binary frames, invalid UTF-8, and protocol slips (a second
/// `connection_init`, a server-only message type, an id reused). After each message a `ping` must come back as a `pong`
/// unless the server closed; every message the server sends must be a well-formed protocol message with client error
/// codes only, every close a protocol close code (never 4500 or 1011), nothing may be logged at Error, and the app is
/// ready afterwards.
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class WebSocketFuzzTests(MalformedRequestFixture app, ITestOutputHelper output)
{
    private static readonly TimeSpan Budget = FuzzSeed.Budget(TimeSpan.FromSeconds(45));

    /// <summary>Stands for a connection that ended without a close frame.</summary>
    private const int Reset = -1;

    /// <summary>Closes a client can earn (docs/api.md#close-codes), and 1007 for invalid UTF-8 (the WebSocket layer's own).</summary>
    private static readonly int[] ClientCloses = [4400, 4401, 4409, 4429, 1007, 1008, 1009];

    private static readonly string[] Slips =
    [
        """{"type":"connection_init","payload":{}}""", """{"type":"next","id":"x","payload":{}}""", """{"type":"error","id":"x","payload":[]}""",
        """{"type":"connection_ack"}""", """{"type":"complete","id":"never-started"}""", """{"type":"pong","payload":{"a":[1,2]}}""",
        """{"type":"ping","payload":"text"}""", """{"type":"subscribe","id":"dup","payload":{"query":"subscription { notifications { sequence } }"}}""",
        """{"type":"subscribe","id":"dup","payload":{"query":"subscription { notifications { sequence } }"}}""", """{"id":1,"type":"complete"}""",
    ];

    [Fact]
    public async Task generated_and_mutated_messages_get_protocol_answers_or_a_client_close_and_no_error_in_the_log()
    {
        var seed = FuzzSeed.Value;
        var random = new Random(seed);
        var generator = new DocumentGenerator(SchemaModel.Load(), random);
        var mutator = new ByteMutator(random);
        var tokens = await FuzzSeed.TokensAsync(app);
        var logMark = app.Log.Entries.Count;
        var failures = new List<string>();
        var closes = new SortedDictionary<int, int>();
        var answered = new SortedDictionary<string, int>();
        var known = new SortedDictionary<string, int>();
        var clock = Stopwatch.StartNew();
        GraphQLWebSocketClient? client = null;
        var sent = 0;
        try
        {
            for (; sent < FuzzSeed.Requests(500) && clock.Elapsed < Budget; sent++)
            {
                var token = tokens[random.Next(tokens.Length)];
                client ??= await GraphQLWebSocketClient.ConnectAndInitAsync(app.SocketUri, token is null ? null : new { authorization = "Bearer " + token });
                var (kind, bytes, type, awaited) = NextMessage(sent, generator, mutator, random);
                await client.Socket.SendAsync(bytes, type, endOfMessage: true, CancellationToken.None);

                // A text frame that is not UTF-8 is refused by the WebSocket layer itself (.NET's ManagedWebSocket): it
                // sends close 1007 and aborts at once, with the rest of the frame unread, so the TCP stack may reset the
                // connection and the close frame may never arrive. Either is accepted for such a frame (docs/api.md).
                var utf8 = type == WebSocketMessageType.Binary || IsUtf8(bytes);
                if (utf8)
                {
                    try
                    {
                        await client.SendRawAsync("{\"type\":\"ping\",\"payload\":{\"n\":" + sent.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}}");
                    }
                    catch (WebSocketException)
                    {
                        // The server closed after the message and hung up before the ping went out: its close frame is
                        // still there to read.
                    }
                }

                // The pong comes back at once while an operation still runs; a query or mutation is also waited for
                // (its `complete` or `error`), or the next message's close would cut it off before it executed.
                var (problem, closed) = await ReadUntilAnsweredAsync(client, sent, utf8 ? awaited : null, answered);
                if (!utf8)
                {
                    problem = closed is 1007 or Reset ? null : problem ?? $"a text frame that is not UTF-8 got {closed}, not 1007";
                }

                if (closed is { } code)
                {
                    closes[code] = closes.GetValueOrDefault(code) + 1;
                    await client.DisposeAsync();
                    client = null;
                }

                if (problem is not null && problem.StartsWith(ResponseChecks.InternalProblem, StringComparison.Ordinal)
                    && KnownFindings.MatchInternal(Encoding.UTF8.GetString(bytes)) is { } finding)
                {
                    known[finding.Name] = known.GetValueOrDefault(finding.Name) + 1;
                }
                else if (problem is not null && failures.Count < 25)
                {
                    failures.Add($"#{sent} ({kind}): {problem}\n  sent: {HttpFuzzTests.Preview(Encoding.UTF8.GetString(bytes))}");
                }
            }
        }
        finally
        {
            if (client is not null)
            {
                await client.DisposeAsync();
            }
        }

        using var http = app.CreateClient();
        using var ready = await http.GetAsync("health/ready");
        var errors = KnownFindings.Unexplained(app.ErrorsSince(logMark), known);
        output.WriteLine($"seed {seed}: {sent} messages in {clock.Elapsed.TotalSeconds:F0} s; answers "
            + string.Join(", ", answered.Select(a => $"{a.Key}: {a.Value}")) + "; closes "
            + string.Join(", ", closes.Select(c => $"{c.Key}: {c.Value}")) + $"; {errors.Count} errors logged");
        output.WriteLine("known findings owned by other work (KnownFindings): "
            + (known.Count == 0 ? "none" : string.Join("; ", known.Select(k => $"{k.Key}: {k.Value}"))));
        Assert.True(sent >= 50, $"Only {sent} messages in {Budget}: the fuzz did not run (seed {seed}).");
        var executed = answered.GetValueOrDefault("next");
        Assert.True(executed >= sent / 25, $"Only {executed} of {sent} messages executed (seed {seed}).");
        Assert.True(failures.Count == 0 && errors.Count == 0, $"seed {seed}:\n" + string.Join("\n", failures)
            + "\nlogged at Error:\n" + string.Join("\n", errors.GroupBy(HttpFuzzTests.Signature).Select(g => $"{g.Count()} x {HttpFuzzTests.Preview(g.First().ToString(), 1200)}")));
        Assert.True(ready.IsSuccessStatusCode, $"seed {seed}: readiness {(int)ready.StatusCode} {await ready.Content.ReadAsStringAsync()}");
    }

    /// <summary>
    /// The next message, and the operation id to wait for: that of a `subscribe` (or a damaged one) whose operation is
    /// a query or a mutation, so ends with `complete` or `error`. A subscription may stay open, so it is not waited for.
    /// </summary>
    private static (string Kind, byte[] Bytes, WebSocketMessageType Type, string? Awaited) NextMessage(int n, DocumentGenerator generator,
        ByteMutator mutator, Random random)
    {
        var request = generator.Next(withSlips: random.Next(100) >= 35);
        var id = "op" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var awaited = request.Query.StartsWith("subscription", StringComparison.Ordinal) ? null : id;
        var subscribe = new JsonObject { ["id"] = id, ["type"] = "subscribe", ["payload"] = request.ToJson() };
        var text = Encoding.UTF8.GetBytes(subscribe.ToJsonString());
        return random.Next(100) switch
        {
            < 40 => ("subscribe", text, WebSocketMessageType.Text, awaited),
            < 52 => ("damaged document", Encoding.UTF8.GetBytes(new JsonObject
            {
                ["id"] = id, ["type"] = "subscribe", ["payload"] = (request with { Query = generator.Damage(request.Query) }).ToJson(),
            }.ToJsonString()), WebSocketMessageType.Text, awaited),
            < 80 => ("mutated bytes", mutator.Mutate(text), WebSocketMessageType.Text, null),
            < 90 => ("protocol slip", Encoding.UTF8.GetBytes(Slips[random.Next(Slips.Length)]), WebSocketMessageType.Text, null),
            < 95 => ("binary frame", text, WebSocketMessageType.Binary, null),
            _ => ("invalid UTF-8", [.. text.Take(text.Length / 2), 0xC3, 0x28, .. text.Skip(text.Length / 2)], WebSocketMessageType.Text, null),
        };
    }

    private static bool IsUtf8(byte[] bytes)
    {
        try
        {
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>
    /// Checks every message up to our pong and, if <paramref name="awaited"/> is set, that operation's `complete` or
    /// `error`; a close ends the connection (null problem if its code is a client's).
    /// </summary>
    private static async Task<(string? Problem, int? Closed)> ReadUntilAnsweredAsync(GraphQLWebSocketClient client, int n, string? awaited,
        SortedDictionary<string, int> answered)
    {
        var ponged = false;
        var ended = awaited is null;
        while (!ponged || !ended)
        {
            string? text;
            int? code;
            string? reason;
            try
            {
                (text, code, reason) = await client.ReceiveOrCloseAsync();
            }
            catch (WebSocketException e)
            {
                return ($"the connection broke without a close frame: {e.WebSocketErrorCode}", Reset);
            }
            catch (OperationCanceledException)
            {
                return ($"no answer within the client's timeout (pong: {ponged}, operation {awaited} ended: {ended})", Reset);
            }

            if (text is null)
            {
                return (ClientCloses.Contains(code ?? 0) ? null : $"closed with {code} {reason}", code ?? -1);
            }

            if (ResponseChecks.CheckMessage(text) is { } problem)
            {
                return (problem, null);
            }

            var message = JsonNode.Parse(text)!;
            var type = message["type"]!.GetValue<string>();
            answered[type] = answered.GetValueOrDefault(type) + 1;
            foreach (var errorCode in (message["payload"] as JsonArray ?? message["payload"]?["errors"] as JsonArray ?? [])
                         .Select(e => e?["extensions"]?["code"]?.GetValue<string>()).Distinct())
            {
                answered[type + " " + errorCode] = answered.GetValueOrDefault(type + " " + errorCode) + 1;
            }

            ponged |= type == "pong" && message["payload"]?["n"] is JsonValue echoed && echoed.TryGetValue<int>(out var m) && m == n;
            ended |= type is "complete" or "error" && message["id"]?.GetValue<string>() == awaited;
        }

        return (null, null);
    }
}
