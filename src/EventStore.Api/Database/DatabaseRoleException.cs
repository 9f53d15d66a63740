namespace EventStore.Api.Database;

/// <summary>The database roles are not as the app needs them to serve safely; the message says which setting to change.</summary>
public sealed class DatabaseRoleException : Exception
{
    public DatabaseRoleException()
    {
    }

    public DatabaseRoleException(string message) : base(message)
    {
    }

    public DatabaseRoleException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
