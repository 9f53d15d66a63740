using System.Text.Json;
using System.Text.Json.Nodes;

namespace EventStore.IntegrationTests.Api.Malformed;

/// <summary>What every answer to a hostile request must look like: a GraphQL body, a client error code, no internals.</summary>
internal static class ResponseChecks
{
    /// <summary>Codes that blame the request (docs/api.md); INTERNAL is missing on purpose.</summary>
    public static readonly IReadOnlySet<string> ClientCodes = new HashSet<string>
    {
        "VALIDATION", "CONFLICT", "UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND", "RATE_LIMITED", "BAD_REQUEST", "ORDER_REJECTED",
        "SLOW_CONSUMER",
    };

    public static bool IsInternal(string body) => body.Contains("\"INTERNAL\"", StringComparison.Ordinal);

    /// <summary>How <see cref="CheckError"/> begins its complaint about an INTERNAL error.</summary>
    public const string InternalProblem = "error code INTERNAL";

    /// <summary>Null when the HTTP answer is acceptable, else what is wrong with it.</summary>
    public static string? CheckHttp(int status, string? mediaType, string body)
    {
        if (status >= 500)
        {
            return $"status {status}";
        }

        if (mediaType is not ("application/json" or "application/graphql-response+json"))
        {
            return $"status {status} with Content-Type {mediaType ?? "(none)"}";
        }

        if (CheckErrors(body, out var json) is { } problem)
        {
            return $"status {status}: {problem}";
        }

        var hasErrors = json!["errors"] is JsonArray;
        var hasData = json["data"] is not null;
        return status == 200
            ? hasData || hasErrors ? null : "status 200 with neither data nor errors"
            : !hasErrors ? $"status {status} without errors"
            : hasData ? $"status {status} with data"
            : null;
    }

    /// <summary>Null when <paramref name="body"/> is a JSON object whose errors (if any) are well formed, with client codes.</summary>
    public static string? CheckErrors(string body, out JsonObject? json)
    {
        json = null;
        if (body.Contains("Exception", StringComparison.Ordinal) || body.Contains("   at ", StringComparison.Ordinal))
        {
            return "looks like a stack trace";
        }

        try
        {
            json = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
        }

        if (json is null)
        {
            return "body is not a JSON object";
        }

        return json["errors"] switch
        {
            null => null,
            JsonArray { Count: > 0 } errors => errors.Select(CheckError).FirstOrDefault(p => p is not null),
            _ => "'errors' is not a non-empty array",
        };
    }

    /// <summary>Null when a server message is a graphql-transport-ws message whose errors are well formed, with client codes.</summary>
    public static string? CheckMessage(string text)
    {
        if (CheckErrors(text, out var json) is { } problem)
        {
            return problem;
        }

        var type = json!["type"] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
        var hasId = json["id"] is JsonValue id && id.GetValueKind() == JsonValueKind.String;
        return type switch
        {
            "pong" => null,
            "complete" => hasId ? null : "complete without an id",
            "next" when hasId && json["payload"] is JsonObject payload => CheckErrors(payload.ToJsonString(), out _),
            "error" when hasId && json["payload"] is JsonArray { Count: > 0 } errors => errors.Select(CheckError).FirstOrDefault(p => p is not null),
            _ => $"not a server message: {text[..Math.Min(200, text.Length)]}",
        };
    }

    /// <summary>Null when one error is `{ "message": string, "extensions": { "code": a client code } }`.</summary>
    public static string? CheckError(JsonNode? error)
    {
        if (error?["message"] is not JsonValue message || message.GetValueKind() != JsonValueKind.String)
        {
            return "an error without a message";
        }

        var code = error["extensions"]?["code"] is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : null;
        return code is null ? "an error without extensions.code"
            : ClientCodes.Contains(code) ? null
            : $"error code {code}: {message.GetValue<string>()}";
    }
}
