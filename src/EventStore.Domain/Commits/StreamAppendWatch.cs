using System.Collections.Immutable;
using Marten;
using Marten.Services;

namespace EventStore.Domain.Commits;

/// <summary>
/// Tells the group committers of this node which streams every committed Marten session appended to (a store listener,
/// EventStoreSetup), so that a committer forgets a stream another session moved on before it decides on it again. It
/// saves a refused commit; it is not what keeps the state right: the expected version of each append is
/// (<see cref="GroupCommitter{T}"/>). Appends by other nodes are not heard; their refusal at commit is the answer.
/// </summary>
public sealed class StreamAppendWatch : DocumentSessionListenerBase
{
    private ImmutableArray<Action<IDocumentSession, Guid>> _watchers = [];

    public void Watch(Action<IDocumentSession, Guid> appended) => ImmutableInterlocked.Update(ref _watchers, w => w.Add(appended));

    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        var watchers = _watchers;
        if (watchers.IsEmpty)
        {
            return Task.CompletedTask;
        }

        foreach (var stream in commit.GetStreams())
        {
            foreach (var watcher in watchers)
            {
                watcher(session, stream.Id);
            }
        }

        return Task.CompletedTask;
    }
}
