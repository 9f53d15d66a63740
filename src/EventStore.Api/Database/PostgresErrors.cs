using Npgsql;

namespace EventStore.Api.Database;

public static class PostgresErrors
{
    /// <summary>The unique-key violation somewhere in an exception chain (Marten and Wolverine wrap the database's).</summary>
    public static PostgresException? FindUniqueViolation(Exception? e)
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
}
