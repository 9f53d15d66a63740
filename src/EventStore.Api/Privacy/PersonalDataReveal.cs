using System.Text.Json;
using System.Text.Json.Nodes;
using EventStore.Domain.Privacy;
using Marten;

namespace EventStore.Api.Privacy;

/// <summary>
/// Opens the sealed personal data inside stored JSON (an event's data, a rebuilt aggregate) for the readers allowed
/// to see it (auditors, admins): each sealed value becomes its plaintext string, or null once its subject is
/// erased. Keys are loaded fresh for every call (one query), never cached: a long-lived subscription must stop
/// showing a user's data the moment they are erased, on every node.
/// </summary>
public sealed class PersonalDataReveal(PersonalDataProtector protector, IDocumentStore store)
{
    public async Task<string> RevealAsync(string json, CancellationToken ct)
    {
        if (!json.Contains(SealedText.Marker, StringComparison.Ordinal))
        {
            return json; // the common case: nothing personal in this event
        }

        var node = JsonNode.Parse(json);
        var found = new List<(SealedText Value, Action<JsonNode?> Replace)>();
        Collect(node, replace => node = replace, found);
        await using var session = store.QuerySession();
        var opener = await protector.OpenerAsync(session, found.Select(x => x.Value.Subject), ct);
        foreach (var (value, replace) in found)
        {
            var plaintext = opener.Open(value);
            replace(plaintext is null ? null : JsonValue.Create(plaintext));
        }

        return node?.ToJsonString() ?? "null";
    }

    private static void Collect(JsonNode? node, Action<JsonNode?> replace, List<(SealedText, Action<JsonNode?>)> found)
    {
        switch (node)
        {
            case JsonObject o when o.TryGetPropertyValue(SealedText.Marker, out var marker) && marker is JsonValue:
                found.Add((SealedText.FromJson(JsonSerializer.SerializeToElement(o)), replace));
                break;
            case JsonObject o:
                foreach (var name in o.Select(p => p.Key).ToList())
                {
                    Collect(o[name], value => o[name] = value, found);
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    var index = i;
                    Collect(a[index], value => a[index] = value, found);
                }

                break;
        }
    }
}
