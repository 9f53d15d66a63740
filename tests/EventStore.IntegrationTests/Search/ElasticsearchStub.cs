using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using WireMock.Types;
using WireMock.Util;

namespace EventStore.IntegrationTests.Search;

/// <summary>
/// Stands in for an Elasticsearch node (no Elasticsearch server can run here): WireMock.Net on 127.0.0.1 speaking the
/// wire format the official 9.x client expects, with request and response bodies modelled on the Elasticsearch REST API
/// reference. It keeps a little cluster state (which indices exist and which aliases they hold), so that the app's
/// start-up, indexing, alias swaps and restarts meet the answers a real node would give; the same stub across two app
/// hosts is the same cluster. Every answer carries <c>X-Elastic-Product: Elasticsearch</c> (the client's product check)
/// and a <c>Content-Type</c> matching the request's <c>Accept</c> (the client refuses any other). The client gzips request
/// bodies; WireMock inflates them before matching and logging (tests assert the <c>Content-Encoding</c> header).
/// Tests override a route with a mapping of higher priority (<see cref="Override"/>).
/// </summary>
public sealed class ElasticsearchStub : IDisposable
{
    public const string Alias = "eventstore-search";
    public const string WriteAlias = Alias + "-write";
    public const string VendorJson = "application/vnd.elasticsearch+json;compatible-with=9";

    private readonly WireMockServer _server;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, HashSet<string>> _indices = new(StringComparer.Ordinal);
    private readonly string _version;
    private readonly List<(string? Written, string? Served)> _bulkTargets = [];
    private Func<string, JsonNode, bool> _reject = (_, _) => false;

    public ElasticsearchStub(string version = "9.5.3")
    {
        _version = version;
        _server = WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://127.0.0.1:{FreePort()}"] });
        _server.Given(Request.Create().UsingAnyMethod()).AtPriority(1000).RespondWith(Response.Create().WithCallback(Handle));
        Url = $"http://127.0.0.1:{_server.Port}";
    }

    public string Url { get; }

    public WireMockServer Server => _server;

    /// <summary>The cluster's indices and the aliases each holds, now.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> Indices
    {
        get
        {
            lock (_gate)
            {
                return _indices.ToDictionary(x => x.Key, x => (IReadOnlySet<string>)x.Value.ToHashSet(), StringComparer.Ordinal);
            }
        }
    }

    public string? IndexHolding(string alias) => Indices.Where(x => x.Value.Contains(alias)).Select(x => x.Key).SingleOrDefault();

    /// <summary>For each bulk request received: the index it wrote into, and the index searches read at that moment.</summary>
    public IReadOnlyList<(string? Written, string? Served)> BulkTargets
    {
        get
        {
            lock (_gate)
            {
                return [.. _bulkTargets];
            }
        }
    }

    /// <summary>An index that already exists when the app starts.</summary>
    public ElasticsearchStub WithIndex(string index, params string[] aliases)
    {
        lock (_gate)
        {
            _indices[index] = [.. aliases];
        }

        return this;
    }

    /// <summary>Bulk items for which this returns true fail with 400 <c>document_parsing_exception</c>.</summary>
    public ElasticsearchStub Reject(Func<string, JsonNode, bool> when)
    {
        _reject = when;
        return this;
    }

    /// <summary>A mapping that wins over the stateful handler for the requests it matches.</summary>
    public IRespondWithAProvider Override(IRequestBuilder request) => _server.Given(request).AtPriority(1);

    /// <summary>Logged requests, oldest first.</summary>
    public IReadOnlyList<IRequestMessage> Requests => [.. _server.LogEntries.Select(e => e.RequestMessage).OrderBy(r => r.DateTime)];

    public IReadOnlyList<IRequestMessage> RequestsTo(string method, string pathEnd) =>
        [.. Requests.Where(r => r.Method == method && Path(r).EndsWith(pathEnd, StringComparison.Ordinal))];

    /// <summary>Every bulk request body received, oldest first.</summary>
    public IReadOnlyList<string> BulkBodies => [.. RequestsTo("POST", "/_bulk").Select(r => r.Body ?? "")];

    /// <summary>The (operation, _id) pairs of a bulk body.</summary>
    public static IReadOnlyList<(string Action, string Id)> Actions(string body) => [.. Lines(body)
        .Where(line => line.Count == 1 && line.Single().Key is "index" or "delete")
        .Select(line => (line.Single().Key, line.Single().Value!["_id"]!.GetValue<string>()))];

    public static string Path(IRequestMessage request) => Uri.UnescapeDataString(request.Path);

    /// <summary>An answer as a node gives it: the media type the request asked for (<see cref="Answer"/>), the product header.</summary>
    public static IResponseBuilder Json(string body, int status = 200) => Response.Create().WithCallback(request => Answer(request, status, body));

    /// <summary>An error body as Elasticsearch writes it.</summary>
    public static string Error(string type, string reason, int status) => new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["root_cause"] = new JsonArray(new JsonObject { ["type"] = type, ["reason"] = reason }),
            ["type"] = type,
            ["reason"] = reason,
        },
        ["status"] = status,
    }.ToJsonString();

    public void Dispose()
    {
        _server.Stop();
        _server.Dispose();
    }

    private ResponseMessage Handle(IRequestMessage request)
    {
        var path = Path(request);
        var body = request.Body ?? "";
        lock (_gate)
        {
            return (request.Method, path) switch
            {
                ("GET", "/") => Info(request),
                ("PUT", _) when path.StartsWith("/_index_template/", StringComparison.Ordinal) => Answer(request, 200, """{"acknowledged":true}"""),
                ("GET", _) when path.EndsWith("/_alias", StringComparison.Ordinal) => Aliases(request, path[1..^"/_alias".Length]),
                ("POST", "/_aliases") => UpdateAliases(request, body),
                ("POST", _) when path.EndsWith("/_bulk", StringComparison.Ordinal) => Bulk(request, path[1..^"/_bulk".Length], body),
                ("POST" or "GET", _) when path.EndsWith("/_search", StringComparison.Ordinal) => Search(request, path[1..^"/_search".Length]),
                ("HEAD", _) => Answer(request, _indices.ContainsKey(path[1..]) || _indices.Values.Any(a => a.Contains(path[1..])) ? 200 : 404, null),
                ("PUT", _) => CreateIndex(request, path[1..]),
                _ => Answer(request, 400, Error("illegal_argument_exception", $"no handler found for uri [{path}] and method [{request.Method}]", 400)),
            };
        }
    }

    /// <summary>
    /// The root endpoint. A server older than 9 refuses a <c>compatible-with=9</c> <c>Accept</c>, as 8.x does
    /// (<c>media_type_header_exception</c>), and answers a plain JSON one.
    /// </summary>
    private ResponseMessage Info(IRequestMessage request)
    {
        var major = int.Parse(_version.Split('.')[0], System.Globalization.CultureInfo.InvariantCulture);
        if (major < 9 && Accept(request).Contains("compatible-with=9", StringComparison.Ordinal))
        {
            // As quoted in elastic/elasticsearch-net#8512 and elastic/elasticsearch-ruby#2665.
            var refusal = JsonNode.Parse(Error("media_type_header_exception", "Invalid media-type value on headers [Accept]", 400))!;
            refusal["error"]!["caused_by"] = new JsonObject
            {
                ["type"] = "status_exception",
                ["reason"] = $"Accept version must be either version 8 or 7, but found 9. Accept={Accept(request)}",
            };
            return Answer(request, 400, refusal.ToJsonString(), "application/json");
        }

        return Answer(request, 200, $$"""
            {"name": "es01", "cluster_name": "docker-cluster", "cluster_uuid": "k6OVXc8QSxKnb3Yq8w5c4Q",
             "version": {"number": "{{_version}}", "build_flavor": "default", "build_type": "docker",
                         "build_hash": "5f9b5c7e3f1c6f3a2b0c9d8e7f6a5b4c3d2e1f0a", "build_date": "2026-10-02T10:11:12.000Z",
                         "build_snapshot": false, "lucene_version": "10.3.2", "minimum_wire_compatibility_version": "8.19.0",
                         "minimum_index_compatibility_version": "8.0.0"},
             "tagline": "You Know, for Search"}
            """);
    }

    /// <summary><c>GET &lt;indices&gt;/_alias</c>: every matching index with its aliases (a wildcard matching nothing gives <c>{}</c>).</summary>
    private ResponseMessage Aliases(IRequestMessage request, string target)
    {
        var answer = new JsonObject();
        foreach (var (index, aliases) in _indices.Where(x => Matches(target, x.Key)).OrderBy(x => x.Key, StringComparer.Ordinal))
        {
            answer[index] = new JsonObject { ["aliases"] = new JsonObject([.. aliases.Select(a => KeyValuePair.Create(a, (JsonNode?)new JsonObject()))]) };
        }

        return Answer(request, 200, answer.ToJsonString());
    }

    private ResponseMessage CreateIndex(IRequestMessage request, string index)
    {
        if (_indices.ContainsKey(index))
        {
            return Answer(request, 400, Error("resource_already_exists_exception", $"index [{index}/Xp8mCE4aQcyZ0vN1k4mK3w] already exists", 400));
        }

        _indices[index] = [];
        return Answer(request, 200, $$"""{"acknowledged": true, "shards_acknowledged": true, "index": "{{index}}"}""");
    }

    /// <summary><c>POST _aliases</c>: all actions or none, as Elasticsearch applies them.</summary>
    private ResponseMessage UpdateAliases(IRequestMessage request, string body)
    {
        var next = _indices.ToDictionary(x => x.Key, x => x.Value.ToHashSet(), StringComparer.Ordinal);
        foreach (var action in JsonNode.Parse(body)!["actions"]!.AsArray().Select(a => a!.AsObject().Single()))
        {
            var index = action.Value!["index"]!.GetValue<string>();
            if (!next.TryGetValue(index, out var aliases))
            {
                return Answer(request, 404, Error("index_not_found_exception", $"no such index [{index}]", 404));
            }

            switch (action.Key)
            {
                case "add": aliases.Add(action.Value["alias"]!.GetValue<string>()); break;
                case "remove": aliases.Remove(action.Value["alias"]!.GetValue<string>()); break;
                case "remove_index": next.Remove(index); break;
                default: return Answer(request, 400, Error("illegal_argument_exception", $"unknown action [{action.Key}]", 400));
            }
        }

        _indices.Clear();
        foreach (var (index, aliases) in next)
        {
            _indices[index] = aliases;
        }

        return Answer(request, 200, """{"acknowledged": true, "errors": false}""");
    }

    /// <summary>
    /// <c>POST &lt;target&gt;/_bulk</c> (NDJSON): every item succeeds unless <see cref="Reject"/> says otherwise; with
    /// <c>require_alias=true</c> and a target that is no alias, every item fails as Elasticsearch fails it.
    /// </summary>
    private ResponseMessage Bulk(IRequestMessage request, string target, string body)
    {
        var index = _indices.Where(x => x.Value.Contains(target)).Select(x => x.Key).SingleOrDefault();
        _bulkTargets.Add((index, _indices.Where(x => x.Value.Contains(Alias)).Select(x => x.Key).SingleOrDefault()));
        var items = new JsonArray();
        var lines = Lines(body);
        var errors = false;
        for (var i = 0; i < lines.Count; i++)
        {
            var (action, meta) = lines[i].Single();
            var id = meta!["_id"]!.GetValue<string>();
            var source = action == "index" ? lines[++i] : null;
            JsonObject item;
            if (index is null)
            {
                item = Failed(target, id, 404, "index_not_found_exception",
                    $"no such index [{target}] and [require_alias] request flag is [true] and [{target}] is not an alias");
            }
            else if (source is not null && _reject(id, source))
            {
                item = Failed(index, id, 400, "document_parsing_exception",
                    $"[1:42] failed to parse field [title] of type [text] in document with id '{id}'. Preview of field's value: '{source["title"]}'");
            }
            else
            {
                item = new JsonObject
                {
                    ["_index"] = index, ["_id"] = id, ["_version"] = 1, ["result"] = source is null ? "not_found" : "created",
                    ["_shards"] = new JsonObject { ["total"] = 1, ["successful"] = 1, ["failed"] = 0 },
                    ["_seq_no"] = i, ["_primary_term"] = 1, ["status"] = source is null ? 404 : 201,
                };
            }

            errors |= item["error"] is not null;
            items.Add(new JsonObject { [action] = item });
        }

        return Answer(request, 200, new JsonObject { ["errors"] = errors, ["took"] = 3, ["items"] = items }.ToJsonString());
    }

    private ResponseMessage Search(IRequestMessage request, string target) =>
        _indices.Any(x => x.Key == target || x.Value.Contains(target))
            ? Answer(request, 200, """
                {"took": 1, "timed_out": false, "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
                 "hits": {"max_score": null, "hits": []}}
                """)
            : Answer(request, 404, Error("index_not_found_exception", $"no such index [{target}]", 404));

    private static JsonObject Failed(string index, string id, int status, string type, string reason) => new()
    {
        ["_index"] = index, ["_id"] = id, ["status"] = status,
        ["error"] = new JsonObject { ["type"] = type, ["reason"] = reason, ["index"] = index },
    };

    private static bool Matches(string target, string index) => target.Split(',').Any(t => t.EndsWith('*')
        ? index.StartsWith(t[..^1], StringComparison.Ordinal)
        : index == t);

    private static string Accept(IRequestMessage request) =>
        request.Headers is { } headers && headers.TryGetValue("Accept", out var accept) ? string.Join(",", accept) : "";

    /// <summary>
    /// The media type a node answers with: the vendor one (<see cref="VendorJson"/>) when the request's <c>Accept</c> asks
    /// for it, as most of the client's requests do; plain JSON when asked for that (bulk and the version check do).
    /// </summary>
    private static ResponseMessage Answer(IRequestMessage request, int status, string? body, string? contentType = null)
    {
        var response = new ResponseMessage { StatusCode = status };
        response.AddHeader("X-Elastic-Product", "Elasticsearch");
        if (body is not null)
        {
            response.AddHeader("Content-Type", contentType
                ?? (Accept(request).StartsWith("application/vnd.elasticsearch+json", StringComparison.Ordinal) ? VendorJson : "application/json"));
            response.BodyData = new BodyData { BodyAsString = body, DetectedBodyType = BodyType.String, Encoding = Encoding.UTF8 };
        }

        return response;
    }

    private static List<JsonObject> Lines(string body) =>
        [.. body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!.AsObject())];

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
