using System.Buffers;
using System.Text.Json;
using EventStore.GraphQL.Transport.Requests;

namespace EventStore.GraphQL.Transport.WebSockets;

/// <summary>One graphql-transport-ws message: `type`, optional `id` and `payload`.</summary>
public sealed record ProtocolMessage(string Type, string? Id, JsonElement? Payload)
{
    public const string ConnectionInit = "connection_init";
    public const string ConnectionAck = "connection_ack";
    public const string Ping = "ping";
    public const string Pong = "pong";
    public const string Subscribe = "subscribe";
    public const string Next = "next";
    public const string Error = "error";
    public const string Complete = "complete";

    /// <summary>
    /// Reads and checks a client message as the protocol defines it; <paramref name="problem"/> is the close reason
    /// (4400) when it is not a valid client message.
    /// </summary>
    public static ProtocolMessage? Parse(ReadOnlyMemory<byte> utf8, out string? problem)
    {
        JsonElement root;
        try
        {
            // The same JSON limits as an HTTP body (GraphQLRequestReader): depth, no key twice, one value. Cloned: the
            // receive buffer is reused for the next message while an operation still reads its payload.
            using var document = GraphQLRequestReader.ParseJson(utf8);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            problem = "Invalid message received: not JSON";
            return null;
        }

        if (GraphQLRequestReader.CheckValues(root) is { } invalid)
        {
            problem = "Invalid message received: " + invalid;
            return null;
        }

        problem = Check(root, out var type, out var id, out var payload);
        return problem is null ? new ProtocolMessage(type!, id, payload) : null;
    }

    private static string? Check(JsonElement root, out string? type, out string? id, out JsonElement? payload)
    {
        type = null;
        id = null;
        payload = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return "Invalid message received: not an object";
        }

        if (!root.TryGetProperty("type", out var typeValue) || typeValue.ValueKind != JsonValueKind.String)
        {
            return "Invalid message received: missing 'type'";
        }

        type = typeValue.GetString()!;
        if (root.TryGetProperty("payload", out var payloadValue) && payloadValue.ValueKind != JsonValueKind.Null)
        {
            payload = payloadValue;
        }

        switch (type)
        {
            case ConnectionInit or Ping or Pong:
                return payload is { ValueKind: not JsonValueKind.Object }
                    ? $"Invalid message received: '{type}' payload must be an object"
                    : null;
            case Subscribe or Complete:
                if (!root.TryGetProperty("id", out var idValue) || idValue.ValueKind != JsonValueKind.String
                    || idValue.GetString() is not { Length: > 0 } text)
                {
                    return $"Invalid message received: '{type}' needs a non-empty 'id'";
                }

                id = text;
                return type == Subscribe ? CheckSubscribePayload(payload) : null;
            default:
                // connection_ack, next and error travel from server to client only.
                return "Invalid message received: unexpected type '" + Truncate(type, 40) + "'";
        }
    }

    private static string? CheckSubscribePayload(JsonElement? payload)
    {
        if (payload is not { ValueKind: JsonValueKind.Object } body)
        {
            return "Invalid message received: 'subscribe' needs a payload object";
        }

        if (!body.TryGetProperty("query", out var query) || query.ValueKind != JsonValueKind.String)
        {
            return "Invalid message received: 'subscribe' payload needs a 'query' string";
        }

        foreach (var (name, kind) in new[] { ("operationName", JsonValueKind.String), ("variables", JsonValueKind.Object),
                     ("extensions", JsonValueKind.Object) })
        {
            if (body.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null && value.ValueKind != kind)
            {
                return $"Invalid message received: '{name}' has the wrong type";
            }
        }

        return null;
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    /// <summary>`{"id":..,"type":..,"payload":..}` with an already serialized payload.</summary>
    public static byte[] Write(string type, string? id = null, string? rawPayload = null)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + (rawPayload?.Length ?? 0));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (id is not null)
            {
                writer.WriteString("id", id);
            }

            writer.WriteString("type", type);
            if (rawPayload is not null)
            {
                writer.WritePropertyName("payload");
                writer.WriteRawValue(rawPayload, skipInputValidation: true);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
