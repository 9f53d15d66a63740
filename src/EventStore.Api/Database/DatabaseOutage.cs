using Npgsql;

namespace EventStore.Api.Database;

/// <summary>
/// PostgreSQL out of reach for a moment (a restart, a failover, a lost connection, a full pool): the request is worth
/// sending again in a few seconds, and the caller is told so (`UNAVAILABLE`, HTTP 503 with `Retry-After`) instead of an
/// internal error. A refusal by the database (a constraint, a privilege, a bad statement) is not an outage.
/// </summary>
public static class DatabaseOutage
{
    /// <summary>What `Retry-After` says: about the time a PostgreSQL restart takes here (docs/operations.md).</summary>
    public const int RetryAfterSeconds = 2;

    public static bool Is(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case OperationCanceledException:
                    return false;
                case PostgresException postgres:
                    // 08: connection exception; 57P01-57P03: the server is shutting down, crashed, or not accepting yet.
                    // 26000 (no such prepared statement): we never name a prepared statement, so this is Npgsql 9's
                    // auto-preparation state of a statement Marten reuses, out of step with a connection opened after a
                    // restart (npgsql/npgsql#6432, fixed in Npgsql 10.0.2; Marten 9 builds on 9.0). The statement did not
                    // run; the next attempt prepares it again.
                    return postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                        || postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
                            or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.InvalidSqlStatementName;
                case NpgsqlException { IsTransient: true }:
                    // Npgsql's own: the socket failed or timed out, or no connection came free in time.
                    return true;
            }
        }

        return false;
    }
}
