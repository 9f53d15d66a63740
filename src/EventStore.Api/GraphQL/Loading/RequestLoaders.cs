using System.Collections.Concurrent;
using GraphQL;

namespace EventStore.Api.GraphQL.Loading;

/// <summary>
/// The batch loaders of one GraphQL request (scoped: one per HTTP request, one per WebSocket operation), one per name.
/// Resolvers reach them with <see cref="LoadingExtensions.Batch{TKey,TValue}"/>.
/// </summary>
public sealed class RequestLoaders(IServiceProvider services)
{
    private readonly ConcurrentDictionary<string, object> _loaders = new(StringComparer.Ordinal);

    public BatchLoader<TKey, TValue> Get<TKey, TValue>(string name, Func<IServiceProvider, BatchRead<TKey, TValue>> read)
        where TKey : notnull =>
        (BatchLoader<TKey, TValue>)_loaders.GetOrAdd(name, static (_, arg) => new BatchLoader<TKey, TValue>(arg.read(arg.services)),
            (read, services));
}

public static class LoadingExtensions
{
    /// <summary>
    /// Queues <paramref name="key"/> on the request's loader called <paramref name="name"/> (created with
    /// <paramref name="read"/> the first time) and returns the pending value for GraphQL.NET to complete with the batch.
    /// </summary>
    public static global::GraphQL.DataLoader.IDataLoaderResult<TValue?> Batch<TKey, TValue>(this IResolveFieldContext context, string name,
        TKey key, Func<IServiceProvider, BatchRead<TKey, TValue>> read)
        where TKey : notnull =>
        context.RequestServices!.GetRequiredService<RequestLoaders>().Get(name, read).Load(key);
}
