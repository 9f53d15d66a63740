using System.Text;
using GraphQL;
using GraphQL.Types.Relay.DataObjects;
using EventStore.Api.GraphQL.Errors;

namespace EventStore.Api.GraphQL;

/// <summary>Opaque Relay cursors over a keyset value, and the bounds of `first`.</summary>
public static class Paging
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    /// <summary>Every cursor we hand out is far shorter; a longer `after` is refused before it is decoded.</summary>
    public const int MaxCursorLength = 256;

    public static string EncodeCursor(string key) => Convert.ToBase64String(Encoding.UTF8.GetBytes("k:" + key));

    public static string? DecodeCursor(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            if (text.StartsWith("k:", StringComparison.Ordinal))
            {
                return text[2..];
            }
        }
        catch (FormatException)
        {
        }

        throw new ApiError(ErrorCodes.Validation, "The cursor is not valid.",
            new Dictionary<string, object?> { ["field"] = "after" });
    }

    /// <summary>An ID argument that must be a UUID: a malformed one is VALIDATION, not an internal error.</summary>
    public static Guid? Uuid(global::GraphQL.IResolveFieldContext context, string name)
    {
        var raw = context.GetArgument<object?>(name)?.ToString();
        if (raw is null)
        {
            return null;
        }

        return Guid.TryParse(raw, out var id)
            ? id
            : throw new ApiError(ErrorCodes.Validation, $"'{name}' must be a UUID.", new Dictionary<string, object?> { ["field"] = name });
    }

    public static int PageSize(int? first) => first switch
    {
        null => DefaultPageSize,
        < 0 or > MaxPageSize => throw new ApiError(ErrorCodes.Validation,
            $"'first' must be between 0 and {MaxPageSize}.", new Dictionary<string, object?> { ["field"] = "first" }),
        _ => first.Value,
    };

    /// <summary>A Relay connection over one page of keyset results.</summary>
    public static Connection<T> Connection<T>(IReadOnlyList<T> items, Func<T, string> cursor, bool hasNext, string? after)
    {
        var edges = items.Select(x => new Edge<T> { Cursor = cursor(x), Node = x }).ToList();
        return new Connection<T>
        {
            Edges = edges,
            PageInfo = new PageInfo
            {
                HasNextPage = hasNext,
                HasPreviousPage = after is not null,
                StartCursor = edges.FirstOrDefault()?.Cursor,
                EndCursor = edges.LastOrDefault()?.Cursor,
            },
        };
    }
}

/// <summary>Opaque cursor over (timestamp, id).</summary>
public static class KeysetCursor
{
    public static string Encode(DateTimeOffset at, Guid id) => Paging.EncodeCursor($"{at.UtcTicks}:{id:N}");

    /// <summary>The decoded cursor, or null for no cursor.</summary>
    public static (DateTimeOffset At, Guid Id)? DecodeOrNull(string? cursor) => cursor is null ? null : Decode(cursor);

    public static (DateTimeOffset At, Guid Id) Decode(string cursor)
    {
        var parts = (Paging.DecodeCursor(cursor) ?? "").Split(':'); // "" is no cursor to DecodeCursor, and not one here
        if (parts.Length == 2 && long.TryParse(parts[0], out var ticks) && Guid.TryParse(parts[1], out var id))
        {
            return (new DateTimeOffset(ticks, TimeSpan.Zero), id);
        }

        throw new Errors.ApiError(Errors.ErrorCodes.Validation, "The cursor is not valid.",
            new Dictionary<string, object?> { ["field"] = "after" });
    }
}
