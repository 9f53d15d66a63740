using System.Globalization;
using System.Runtime.CompilerServices;
using EventStore.Api.LiveFeed;
using GraphQL;

namespace EventStore.Api.GraphQL;

/// <summary>
/// The one plumbing behind every live field (docs/architecture.md#live-updates): the rows of the event log that match a
/// typed <see cref="EventLogFilter"/> (replayed from the client's `after`, then live, paced to the client), each turned
/// into the field's typed update by a projector that gets a service scope of its own; a projector returning null skips
/// the row. A subscription field is its filter, an optional cheap extra test on the row, and its projector.
/// </summary>
public static class LiveSubscription
{
    /// <summary>Turns one matching row into the update the client receives, or null to skip it.</summary>
    public delegate ValueTask<TUpdate?> Projector<TUpdate>(StoredEvent e, IServiceProvider services, CancellationToken ct)
        where TUpdate : class;

    /// <param name="where">Checked on each row before it is buffered (cheap tests on the row itself, e.g. its room).</param>
    public static IObservable<TUpdate> Stream<TUpdate>(IResolveFieldContext c, EventLogFilter filter, Projector<TUpdate> project,
        Func<StoredEvent, bool>? where = null)
        where TUpdate : class
    {
        var services = c.RequestServices!;
        var streams = services.GetRequiredService<LiveStreams>();
        var pace = services.GetRequiredService<DeliveryPace>();
        var after = After(c);
        Func<StoredEvent, bool> matches = where is null ? filter.Matches : e => filter.Matches(e) && where(e);
        return new AsyncStreamObservable<TUpdate>(ct => ProjectAsync(streams.StreamAsync(filter, matches, after, pace, ct), services, project, ct));
    }

    /// <summary>The rows themselves, for fields whose payload is the stored event.</summary>
    public static IObservable<StoredEvent> Rows(IResolveFieldContext c, EventLogFilter filter) =>
        Stream(c, filter, static (e, _, _) => ValueTask.FromResult<StoredEvent?>(e));

    /// <summary>The `after` argument: the sequence of the last update the client saw.</summary>
    public static long? After(IResolveFieldContext c) => c.GetArgument<string?>("after") is { Length: > 0 } cursor
        ? long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            ? sequence
            : throw new Errors.ApiError(Errors.ErrorCodes.Validation, "'after' must be a sequence number from a previous update.",
                new Dictionary<string, object?> { ["field"] = "after" })
        : null;

    private static async IAsyncEnumerable<TUpdate> ProjectAsync<TUpdate>(IAsyncEnumerable<StoredEvent> source, IServiceProvider services,
        Projector<TUpdate> project, [EnumeratorCancellation] CancellationToken ct)
        where TUpdate : class
    {
        await foreach (var e in source.WithCancellation(ct))
        {
            await using var scope = services.CreateAsyncScope();
            if (await project(e, scope.ServiceProvider, ct) is { } update)
            {
                yield return update;
            }
        }
    }
}
