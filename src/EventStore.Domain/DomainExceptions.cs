namespace EventStore.Domain;

/// <summary>A state rule refused the command. Mapped to GraphQL error codes at the API edge.</summary>
public abstract class DomainException(string message) : Exception(message);

/// <summary>The command conflicts with the current state (taken username, stale version, ...): code CONFLICT.</summary>
public sealed class ConflictException(string message) : DomainException(message);

/// <summary>The target does not exist: code NOT_FOUND.</summary>
public sealed class NotFoundException(string message) : DomainException(message);

/// <summary>The actor may not do this to this target: code FORBIDDEN.</summary>
public sealed class ForbiddenException(string message) : DomainException(message);
