using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace EventStore.IntegrationTests.Search;

/// <summary>
/// Stands in for an Elasticsearch node (none can run here): WireMock on 127.0.0.1 answering with request and response
/// bodies modelled on the examples of the Elasticsearch REST API reference (index template, create index, bulk, search).
/// </summary>
public sealed class ElasticsearchStub : IDisposable
{
    public const string Index = "eventstore-search";

    private readonly WireMockServer _server;

    public ElasticsearchStub()
    {
        _server = WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://127.0.0.1:{FreePort()}"] });
        Url = $"http://127.0.0.1:{_server.Port}";
    }

    public string Url { get; }

    public WireMockServer Server => _server;

    /// <summary>A cluster that accepts everything: template, index (missing or not), and every bulk item.</summary>
    public ElasticsearchStub AcceptEverything(bool indexExists)
    {
        _server.Given(Request.Create().WithPath($"/_index_template/{Index}").UsingPut()).RespondWith(Json("""{"acknowledged": true}"""));
        _server.Given(Request.Create().WithPath($"/{Index}").UsingHead())
            .RespondWith(Response.Create().WithStatusCode(indexExists ? 200 : 404));
        _server.Given(Request.Create().WithPath($"/{Index}").UsingPut())
            .RespondWith(Json($$$"""{"acknowledged": true, "shards_acknowledged": true, "index": "{{{Index}}}"}"""));
        _server.Given(Request.Create().WithPath($"/{Index}/_bulk").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody(request => BulkAllOk(request.Body ?? "")));
        return this;
    }

    /// <summary>Every bulk request body received, oldest first.</summary>
    public IReadOnlyList<string> BulkBodies => [.. _server.LogEntries
        .Where(e => e.RequestMessage.Path.EndsWith("/_bulk", StringComparison.Ordinal))
        .OrderBy(e => e.RequestMessage.DateTime)
        .Select(e => e.RequestMessage.Body ?? "")];

    /// <summary>The (action, _id) pairs of bulk bodies.</summary>
    public static IReadOnlyList<(string Action, string Id)> Actions(string body) => [.. body.Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(line => JsonNode.Parse(line)!.AsObject())
        .Where(line => line.Count == 1 && line.Single().Key is "index" or "delete")
        .Select(line => (line.Single().Key, line.Single().Value!["_id"]!.GetValue<string>()))];

    /// <summary>The bulk response for a body where every action succeeds (as in the Bulk API reference's first example).</summary>
    public static string BulkAllOk(string body)
    {
        var items = new JsonArray();
        var sequence = 0;
        foreach (var (action, id) in Actions(body))
        {
            items.Add(new JsonObject
            {
                [action] = new JsonObject
                {
                    ["_index"] = Index, ["_id"] = id, ["_version"] = 1,
                    ["result"] = action == "index" ? "created" : "not_found",
                    ["_shards"] = new JsonObject { ["total"] = 2, ["successful"] = 1, ["failed"] = 0 },
                    ["status"] = action == "index" ? 201 : 404,
                    ["_seq_no"] = sequence++, ["_primary_term"] = 1,
                },
            });
        }

        return new JsonObject { ["took"] = 30, ["errors"] = false, ["items"] = items }.ToJsonString();
    }

    public static IResponseBuilder Json(string body, int status = 200) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);

    public void Dispose()
    {
        _server.Stop();
        _server.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
