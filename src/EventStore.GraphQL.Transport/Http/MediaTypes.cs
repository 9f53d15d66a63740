using Microsoft.Net.Http.Headers;

namespace EventStore.GraphQL.Transport.Http;

/// <summary>Content negotiation of the GraphQL-over-HTTP spec.</summary>
public static class MediaTypes
{
    public const string GraphQLResponse = "application/graphql-response+json";
    public const string Json = "application/json";

    /// <summary>The response media type the client accepts, preferring graphql-response+json; null when none fits (406).</summary>
    public static string? Negotiate(string? accept)
    {
        if (string.IsNullOrWhiteSpace(accept))
        {
            return Json; // no Accept header: the spec's legacy default
        }

        if (!MediaTypeHeaderValue.TryParseList(accept.Split(','), out var types))
        {
            return Json;
        }

        string? best = null;
        double bestQuality = -1;
        foreach (var type in types)
        {
            var candidate = type.MediaType.Value?.ToLowerInvariant() switch
            {
                GraphQLResponse => GraphQLResponse,
                Json or "application/*" or "*/*" => Json,
                _ => null,
            };
            var quality = type.Quality ?? 1;
            if (candidate is null || quality <= 0)
            {
                continue;
            }

            // Equal quality: graphql-response+json wins, it carries the precise status codes.
            if (quality > bestQuality || (quality == bestQuality && candidate == GraphQLResponse))
            {
                best = candidate;
                bestQuality = quality;
            }
        }

        return best;
    }

    public static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var type)
        && string.Equals(type.MediaType.Value, Json, StringComparison.OrdinalIgnoreCase)
        && (type.Charset.Value is null || string.Equals(type.Charset.Value, "utf-8", StringComparison.OrdinalIgnoreCase));
}
