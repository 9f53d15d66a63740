using GraphQL.DataLoader;

namespace EventStore.Api.GraphQL.Loading;

/// <summary>Reads the values of many keys in one go: one database round trip for the whole set.</summary>
public delegate Task<IReadOnlyDictionary<TKey, TValue>> BatchRead<TKey, TValue>(IReadOnlyCollection<TKey> keys, CancellationToken ct)
    where TKey : notnull;

/// <summary>
/// Our DataLoader, over GraphQL.NET's <see cref="IDataLoaderResult"/>: a many-to-one or count field calls
/// <see cref="Load"/> for its item, which only notes the key; GraphQL.NET's execution strategy asks for the results once
/// every field at that level has been resolved, and the first request reads every key noted so far in one batch
/// (<see cref="BatchRead{TKey,TValue}"/>). A key asked for after a batch started goes to the next batch. Nothing is kept
/// after a batch completes: a live subscription never sees a stale cached value, and memory does not grow with it.
/// </summary>
public sealed class BatchLoader<TKey, TValue>(BatchRead<TKey, TValue> read)
    where TKey : notnull
{
    private readonly Lock _gate = new();
    private Batch? _open;

    /// <summary>The value of <paramref name="key"/>, or default when the batch read found none.</summary>
    public IDataLoaderResult<TValue?> Load(TKey key)
    {
        lock (_gate)
        {
            _open ??= new Batch(this);
            _open.Keys.Add(key);
            return new Pending(_open, key);
        }
    }

    private sealed class Batch(BatchLoader<TKey, TValue> owner)
    {
        public HashSet<TKey> Keys { get; } = [];

        private Task<IReadOnlyDictionary<TKey, TValue>>? _read;

        public Task<IReadOnlyDictionary<TKey, TValue>> ReadAsync(CancellationToken ct)
        {
            TKey[] keys;
            lock (owner._gate)
            {
                if (_read is not null)
                {
                    return _read;
                }

                if (ReferenceEquals(owner._open, this))
                {
                    owner._open = null; // later keys start the next batch
                }

                keys = [.. Keys];
                _read = owner.ReadBatchAsync(keys, ct);
                return _read;
            }
        }
    }

    private async Task<IReadOnlyDictionary<TKey, TValue>> ReadBatchAsync(TKey[] keys, CancellationToken ct)
    {
        await Task.Yield(); // the read runs outside the lock
        return await read(keys, ct);
    }

    private sealed class Pending(Batch batch, TKey key) : IDataLoaderResult<TValue?>
    {
        public async Task<TValue?> GetResultAsync(CancellationToken cancellationToken = default)
        {
            var values = await batch.ReadAsync(cancellationToken);
            return values.TryGetValue(key, out var value) ? value : default;
        }

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) =>
            await GetResultAsync(cancellationToken);
    }
}
