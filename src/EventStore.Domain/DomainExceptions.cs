namespace EventStore.Domain;

/// <summary>
/// A rule refused the command. It carries its error code (and, where the code alone does not say why, a reason), so
/// the API maps every refusal in one place by these values, never by its message or its type name.
/// </summary>
public abstract class DomainException(string message, string code, string? reason = null) : Exception(message)
{
    /// <summary>One of <see cref="DomainErrorCodes"/>: the `extensions.code` a caller gets.</summary>
    public string Code { get; } = code;

    /// <summary>`extensions.reason`, when there is one (INSUFFICIENT_FUNDS).</summary>
    public string? Reason { get; } = reason;
}

/// <summary>The codes a refusal can carry: the API's codes of the same name (docs/api.md#errors).</summary>
public static class DomainErrorCodes
{
    public const string Conflict = "CONFLICT";
    public const string NotFound = "NOT_FOUND";
    public const string Forbidden = "FORBIDDEN";
}

/// <summary>The command conflicts with the current state (taken username, stale version, ...): code CONFLICT.</summary>
public sealed class ConflictException(string message) : DomainException(message, DomainErrorCodes.Conflict);

/// <summary>The target does not exist: code NOT_FOUND.</summary>
public sealed class NotFoundException(string message) : DomainException(message, DomainErrorCodes.NotFound);

/// <summary>The actor may not do this to this target: code FORBIDDEN.</summary>
public sealed class ForbiddenException(string message) : DomainException(message, DomainErrorCodes.Forbidden);

/// <summary>
/// A concurrent writer changed what the command read, and Wolverine's retries on fresh state ran out
/// (docs/security.md#concurrency): code CONFLICT. Made from the store's exception by <see cref="StoreConflicts"/>.
/// </summary>
public sealed class ConcurrentChangeException(Exception inner)
    : DomainException("The target was changed by someone else meanwhile; reload and retry.", DomainErrorCodes.Conflict)
{
    public Exception Store { get; } = inner;
}

/// <summary>
/// The store refused a second document or stream with the same key (a unique index, a primary key, a stream id):
/// code CONFLICT, worded by the document type (<see cref="DuplicateConflictAttribute"/>). Made by <see cref="StoreConflicts"/>.
/// </summary>
public sealed class DuplicateException(string message, Type? documentType) : DomainException(message, DomainErrorCodes.Conflict)
{
    /// <summary>The document type whose key was taken; null for a stream id or a table Marten does not map.</summary>
    public Type? DocumentType { get; } = documentType;
}
