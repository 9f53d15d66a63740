using Marten;

namespace EventStore.Domain.Privacy;

/// <summary>
/// A document found by a user's own text (a client order id claim, an idempotency claim): its id is
/// <see cref="PersonalLookups.IdPrefix"/> followed by a keyed hash of the text under the user's key
/// (<see cref="PersonalDataProtector.Lookup"/>). Erasure deletes the user's rows of every such document type
/// (<see cref="PersonalLookups.ForgetAll"/>).
/// </summary>
public interface IPersonalLookup
{
    string Id { get; }
}

public static class PersonalLookups
{
    /// <summary>Every lookup id of <paramref name="userId"/> starts with this.</summary>
    public static string IdPrefix(Guid userId) => $"{userId:N}/";

    /// <summary>
    /// Queues, in the session's transaction, the deletion of every row of <paramref name="userId"/> in every document
    /// table whose type implements <see cref="IPersonalLookup"/>, found from the store's registered document types so
    /// that a new lookup type is covered without touching the erasure. Rows written with the hash are unreadable once
    /// the key is gone anyway; rows written before the text was hashed hold it in clear, and no erased user places an
    /// order or funds an account again, so no uniqueness is lost.
    /// </summary>
    public static void ForgetAll(IDocumentSession session, Guid userId)
    {
        foreach (var table in session.DocumentStore.Options.AllKnownDocumentTypes()
                     .Where(t => t.DocumentType.IsAssignableTo(typeof(IPersonalLookup)))
                     .Select(t => t.TableName.QualifiedName))
        {
            session.QueueSqlCommand($"delete from {table} where id like ?", IdPrefix(userId) + "%");
        }
    }
}
