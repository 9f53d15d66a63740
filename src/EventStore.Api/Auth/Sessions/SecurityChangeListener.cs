using EventStore.Domain.Users.Sessions;
using Marten;
using Marten.Services;

namespace EventStore.Api.Auth.Sessions;

/// <summary>
/// Watches every Marten commit for changes to who a user is to the API: an event that moves the security stamp, or a
/// session started, rotated or revoked. In the same transaction it queues `pg_notify` with the user's id, which
/// PostgreSQL delivers to every node only if the transaction commits; after the commit it drops this node's own entry
/// at once, so the very next request here already sees the change. One place, whichever handler made the change.
/// </summary>
public sealed class SecurityChangeListener(SecurityCache cache) : DocumentSessionListenerBase
{
    public const string Channel = "eventstore_user_security";

    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        foreach (var user in ChangedUsers(session.PendingChanges.Streams().SelectMany(s => s.Events.Select(e => (s.Id, e.Data))),
                     session.PendingChanges.AllChangedFor<UserSession>()))
        {
            session.QueueSqlCommand("select pg_notify(?, ?)", Channel, user.ToString());
        }

        return Task.CompletedTask;
    }

    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        foreach (var user in ChangedUsers(commit.GetEvents().Select(e => (e.StreamId, e.Data)),
                     commit.Inserted.Concat(commit.Updated).OfType<UserSession>()))
        {
            cache.Invalidate(user);
        }

        return Task.CompletedTask;
    }

    private static HashSet<Guid> ChangedUsers(IEnumerable<(Guid Stream, object Data)> events, IEnumerable<UserSession> sessions)
    {
        var users = events.Where(e => UserSecurity.StampEvents.Contains(e.Data.GetType())).Select(e => e.Stream).ToHashSet();
        users.UnionWith(sessions.Select(s => s.UserId));
        return users;
    }
}
