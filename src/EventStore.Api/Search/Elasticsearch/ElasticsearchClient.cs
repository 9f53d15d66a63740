using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Polly;

namespace EventStore.Api.Search.Elasticsearch;

/// <summary>
/// A small typed client over the Elasticsearch REST API (no .NET client package is available here): index template,
/// index creation, <c>_bulk</c> and <c>_search</c>, with System.Text.Json. Every request goes through
/// <see cref="ElasticsearchPipeline"/> (retries with backoff on network errors, timeouts, 429 and 5xx) and is rebuilt per
/// attempt. Request and response shapes follow the Elasticsearch REST API reference.
/// </summary>
public sealed class ElasticsearchClient(HttpClient http, ElasticsearchPipeline pipeline, IOptions<ElasticsearchOptions> options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ElasticsearchOptions _options = options.Value;

    public string Index => _options.Index;

    /// <summary><c>PUT _index_template/&lt;index&gt;</c>: settings and mappings for every index named <c>&lt;index&gt;*</c>.</summary>
    public async Task PutIndexTemplateAsync(CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Put, $"_index_template/{Index}", () => JsonBody(ElasticsearchMappings.Template(Index)), ct);
        await EnsureSuccessAsync(response, "put the index template", ct);
    }

    /// <summary><c>HEAD &lt;index&gt;</c>: 200 exists, 404 does not.</summary>
    public async Task<bool> IndexExistsAsync(CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Head, Index, null, ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await EnsureSuccessAsync(response, "check the index", ct);
        return true;
    }

    /// <summary>
    /// <c>PUT &lt;index&gt;</c> (the template supplies mappings). True when this call created it; false when another node
    /// did first (400 <c>resource_already_exists_exception</c>).
    /// </summary>
    public async Task<bool> CreateIndexAsync(CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Put, Index, () => JsonBody(new JsonObject()), ct);
        if (response.StatusCode == HttpStatusCode.BadRequest
            && ErrorType(await response.Content.ReadAsStringAsync(ct)) == "resource_already_exists_exception")
        {
            return false;
        }

        await EnsureSuccessAsync(response, "create the index", ct);
        return true;
    }

    /// <summary>
    /// <c>POST _bulk</c> (NDJSON). A 200 response may still hold failed items (<c>errors: true</c>): each action's own
    /// status is returned, in request order, for the caller to retry or report.
    /// </summary>
    public async Task<BulkResult> BulkAsync(IReadOnlyList<BulkAction> actions, CancellationToken ct)
    {
        if (actions.Count == 0)
        {
            return new BulkResult([]);
        }

        using var response = await SendAsync(HttpMethod.Post, $"{Index}/_bulk", () => NdJson(actions), ct);
        await EnsureSuccessAsync(response, "index documents", ct);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;
        var items = body["items"]?.AsArray() ?? throw new ElasticsearchException("The _bulk response has no items.");
        if (items.Count != actions.Count)
        {
            throw new ElasticsearchException($"The _bulk response has {items.Count} items for {actions.Count} actions.");
        }

        return new BulkResult([.. items.Select((item, i) =>
        {
            // Each item is { "<action>": { "_id", "status", "result" | "error": { "type", "reason" } } }.
            var result = item!.AsObject().Single().Value!;
            var error = result["error"];
            return new BulkItemResult(actions[i], result["status"]!.GetValue<int>(), error?["type"]?.GetValue<string>(),
                error?["reason"]?.GetValue<string>());
        })]);
    }

    /// <summary><c>POST &lt;index&gt;/_search</c>.</summary>
    public async Task<IReadOnlyList<ElasticsearchHit>> SearchAsync(JsonObject query, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Post, $"{Index}/_search", () => JsonBody(query), ct);
        await EnsureSuccessAsync(response, "search", ct);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;
        return [.. (body["hits"]?["hits"]?.AsArray() ?? []).Select(hit =>
        {
            var source = hit!["_source"].Deserialize<IndexedDocument>(Json)!;
            var highlight = hit["highlight"];
            var title = highlight?["title"]?[0]?.GetValue<string>() ?? source.Title;
            var text = highlight?["body"]?[0]?.GetValue<string>() ?? source.Body;
            return new ElasticsearchHit(source, hit["_score"]?.GetValue<double>() ?? 0, $"{title} · {text}");
        })];
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, Func<HttpContent>? content, CancellationToken ct) =>
        await pipeline.Pipeline.ExecuteAsync(async token =>
        {
            using var request = new HttpRequestMessage(method, path) { Content = content?.Invoke() };
            if (!string.IsNullOrWhiteSpace(_options.ApiKey))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", _options.ApiKey);
            }

            return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token);
        }, ct);

    private static StringContent JsonBody(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private static StringContent NdJson(IReadOnlyList<BulkAction> actions)
    {
        var text = new StringBuilder();
        foreach (var action in actions)
        {
            var verb = action.IsDelete ? "delete" : "index";
            text.Append("{\"").Append(verb).Append("\":{\"_id\":").Append(JsonSerializer.Serialize(action.Id)).Append("}}\n");
            if (action.Document is { } document)
            {
                text.Append(JsonSerializer.Serialize(document, Json)).Append('\n');
            }
        }

        // The _bulk endpoint of one index: the actions need no _index of their own.
        return new StringContent(text.ToString(), Encoding.UTF8, "application/x-ndjson");
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            throw new ElasticsearchException(
                $"Elasticsearch could not {what}: HTTP {(int)response.StatusCode} {ErrorType(body) ?? ""}".TrimEnd(), response.StatusCode);
        }
    }

    private static string? ErrorType(string body)
    {
        try
        {
            return JsonNode.Parse(body)?["error"]?["type"]?.GetValue<string>();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

public sealed class ElasticsearchException(string message, HttpStatusCode? status = null) : Exception(message)
{
    public HttpStatusCode? Status { get; } = status;
}
