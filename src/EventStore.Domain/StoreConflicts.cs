using System.Reflection;
using JasperFx;
using JasperFx.Events;
using Npgsql;

namespace EventStore.Domain;

/// <summary>
/// What a caller is told when the store refuses a second document of a type with the same unique key. On the document
/// class, so the type that owns the key owns the words (<see cref="StoreConflicts"/> reads it).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class DuplicateConflictAttribute(string message) : Attribute
{
    public string Message { get; } = message;
}

/// <summary>
/// The one translation of the store's refusals into typed errors, keyed on what was refused (a document type, a stream,
/// a stream version), never on an exception's message or a constraint's name. The API maps the result like any other
/// <see cref="DomainException"/>; the log filter uses it to tell a refusal from a fault.
/// </summary>
public static class StoreConflicts
{
    public const string DuplicateDocument = "This already exists.";
    public const string DuplicateStream = "It already exists.";
    public const string DuplicateValue = "This value is already taken.";

    /// <summary>
    /// The typed error for <paramref name="e"/>, or null when the store did not refuse anything. A unique violation is
    /// found anywhere in the exception chain (Marten and Wolverine wrap the database's); the rest only as thrown.
    /// </summary>
    public static DomainException? Translate(Exception e) =>
        TranslateThrown(e) ?? (UniqueViolation(e) is not null ? new DuplicateException(DuplicateValue, null) : null);

    /// <summary>As <see cref="Translate"/>, for <paramref name="e"/> itself only (not what it wraps).</summary>
    public static DomainException? TranslateThrown(Exception e) => e switch
    {
        DomainException domain => domain,
        // Marten reports a unique violation on a document's table (its id or a unique index) with the document's type.
        DocumentAlreadyExistsException exists => new DuplicateException(
            exists.DocumentType.GetCustomAttribute<DuplicateConflictAttribute>()?.Message ?? DuplicateDocument, exists.DocumentType),
        ExistingStreamIdCollisionException or Marten.Exceptions.ExistingStreamIdCollisionException => new DuplicateException(DuplicateStream, null),
        ConcurrencyException or EventStreamUnexpectedMaxEventIdException => new ConcurrentChangeException(e),
        _ => null,
    };

    /// <summary>The database's unique-key violation somewhere in an exception chain.</summary>
    public static PostgresException? UniqueViolation(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg)
            {
                return pg;
            }
        }

        return null;
    }

    /// <summary>
    /// Marten logs a failed command with the raw violation before it translates it. On the events table that is two
    /// appends racing on one stream version (<see cref="ConcurrentChangeException"/> once translated).
    /// </summary>
    public static bool IsStreamVersionRace(PostgresException pg) => pg.TableName == EventsTable;

    /// <summary>The raw violation on a document's table (Marten names them mt_doc_&lt;type&gt;): a taken key, not a fault of ours.</summary>
    public static bool IsDocumentDuplicate(PostgresException pg) => pg.TableName?.StartsWith(DocumentTablePrefix, StringComparison.Ordinal) == true;

    private const string EventsTable = "mt_events";
    private const string DocumentTablePrefix = "mt_doc_";
}
