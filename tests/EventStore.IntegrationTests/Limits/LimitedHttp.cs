using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alba;

namespace EventStore.IntegrationTests.Limits;

/// <summary>
/// GraphQL over HTTP to a test host as if from <paramref name="clientAddress"/>: the rate limits count anonymous callers
/// and login attempts per client address, so each test speaks from an address of its own.
/// </summary>
public static class LimitedHttp
{
    public static async Task<LimitedReply> PostAsync(IAlbaHost host, string clientAddress, string query, object? variables = null,
        string? token = null)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new { query, variables });
        var context = await host.Server.SendAsync(http =>
        {
            http.Connection.RemoteIpAddress = IPAddress.Parse(clientAddress);
            http.Request.Method = "POST";
            http.Request.Path = "/graphql";
            http.Request.ContentType = "application/json";
            http.Request.Headers.Accept = "application/json";
            if (token is not null)
            {
                http.Request.Headers.Authorization = "Bearer " + token;
            }

            http.Request.Body = new MemoryStream(body);
            http.Request.ContentLength = body.Length;
        });
        using var reader = new StreamReader(context.Response.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        var retryAfter = context.Response.Headers.RetryAfter.ToString();
        return new LimitedReply(context.Response.StatusCode, JsonNode.Parse(text)!.AsObject(),
            string.IsNullOrEmpty(retryAfter) ? null : int.Parse(retryAfter, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>`mutation { a0: login(...) { token } a1: login(...) ... }`, one alias per password guess.</summary>
    public static string AliasedLogins(int count, Func<int, string> username) => "mutation { " + string.Join(" ",
        Enumerable.Range(0, count).Select(i =>
            $"a{i}: login(input: {{username: \"{username(i)}\", password: \"guess-{i:D4}-wrong\"}}) {{ token }}")) + " }";
}

public sealed record LimitedReply(int Status, JsonObject Json, int? RetryAfterHeader)
{
    public IReadOnlyList<JsonObject> Errors => Json["errors"]?.AsArray().Select(x => x!.AsObject()).ToList() ?? [];

    public int Count(string code) => Errors.Count(e => e["extensions"]?["code"]?.GetValue<string>() == code);
}
