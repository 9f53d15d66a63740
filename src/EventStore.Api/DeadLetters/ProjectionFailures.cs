using JasperFx.Events.Daemon;
using Npgsql;

namespace EventStore.Api.DeadLetters;

/// <summary>What a failure of a projection or subscription on an event means for the event.</summary>
public enum FailureKind
{
    /// <summary>Connection loss, timeout, serialization failure, deadlock: the same work succeeds when retried.</summary>
    Transient,

    /// <summary>Caused by this event's data (PostgreSQL classes 22, 23, 54, or an exception in projection code).</summary>
    Poison,

    /// <summary>Not the event's fault (missing table or column, permissions): every event would fail the same way.</summary>
    Systemic,
}

/// <summary>
/// Classifies failures and describes them without personal data. PostgreSQL's message text and detail can quote the
/// value that failed (`invalid input syntax for type uuid: "…"`, `Key (email)=(…) already exists`), and an exception
/// from projection code can say anything, so a description carries the SQLSTATE, its condition name and the table or
/// constraint, or only the exception type: never a message.
/// </summary>
public static class ProjectionFailures
{
    private static readonly Dictionary<string, string> Conditions = new(StringComparer.Ordinal)
    {
        ["22001"] = "string_data_right_truncation",
        ["22003"] = "numeric_value_out_of_range",
        ["22007"] = "invalid_datetime_format",
        ["22008"] = "datetime_field_overflow",
        ["22021"] = "character_not_in_repertoire",
        ["22P02"] = "invalid_text_representation",
        ["22P05"] = "untranslatable_character",
        ["23502"] = "not_null_violation",
        ["23503"] = "foreign_key_violation",
        ["23505"] = "unique_violation",
        ["23514"] = "check_violation",
        ["54000"] = "program_limit_exceeded",
    };

    public static FailureKind Classify(Exception exception)
    {
        if (exception is OperationCanceledException || TransientFailures.IsTransient(exception))
        {
            return FailureKind.Transient;
        }

        if (Find<PostgresException>(exception) is { } postgres)
        {
            // 22 data exception, 23 integrity constraint violation, 54 program limit (e.g. an index row too large):
            // the row this event produced cannot be stored. Everything else (42 syntax/undefined object/privilege,
            // 3F schema, XX internal) would fail for any event.
            return postgres.SqlState[..2] is "22" or "23" or "54" ? FailureKind.Poison : FailureKind.Systemic;
        }

        // Another database failure that is not transient (a broken connection string, a closed data source).
        return Find<NpgsqlException>(exception) is not null ? FailureKind.Systemic : FailureKind.Poison;
    }

    /// <summary>A description safe to store and show to admins: no message text, which may quote event data.</summary>
    public static string Describe(Exception exception)
    {
        if (Find<PostgresException>(exception) is { } postgres)
        {
            var what = $"PostgreSQL {postgres.SqlState} {Conditions.GetValueOrDefault(postgres.SqlState, "error")}";
            if (postgres.TableName is { Length: > 0 } table)
            {
                what += $" on table {table}";
            }

            if (postgres.ConstraintName is { Length: > 0 } constraint)
            {
                what += $" (constraint {constraint})";
            }

            return what + " while writing the read model";
        }

        var root = exception is ApplyEventException { InnerException: { } inner } ? inner : exception;
        return $"{root.GetType().Name} in projection code";
    }

    private static T? Find<T>(Exception? exception) where T : Exception
    {
        for (var depth = 0; exception is not null && depth < 32; depth++)
        {
            if (exception is T found)
            {
                return found;
            }

            if (exception is AggregateException aggregate)
            {
                return aggregate.InnerExceptions.Select(Find<T>).FirstOrDefault(x => x is not null);
            }

            exception = exception.InnerException;
        }

        return null;
    }
}

/// <summary>What a dead letter stores instead of the original exception: its safe description only.</summary>
public sealed class DeadLetteredException(string description, string originalType) : Exception(description)
{
    public string OriginalType { get; } = originalType;
}
