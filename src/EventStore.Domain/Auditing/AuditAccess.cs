using EventStore.Domain.Validation;
using System.Security.Cryptography;
using System.Text;
using Marten;

namespace EventStore.Domain.Auditing;

/// <summary>An auditor (or admin) read the log: who looked at what, itself part of the audit trail.</summary>
public sealed record AuditLogRead(Guid AuditorId, string Operation, string Arguments, int Results, DateTimeOffset ReadAt);

/// <summary>Appends <see cref="AuditLogRead"/> to the auditor's access-log stream.</summary>
public sealed record RecordAuditAccess(
    Guid AuditorId, string Operation, [SingleLine(RecordAuditAccess.ArgumentsMaxLength)] string Arguments, int Results)
{
    /// <summary>
    /// The arguments as JSON (escaped, so one line). Each string in them passed the API's limits already; this bound only
    /// stops an absurd filter list (the request itself is at most GraphQL:MaxRequestBytes).
    /// </summary>
    public const int ArgumentsMaxLength = 1024 * 1024;
}

public static class RecordAuditAccessHandler
{
    public static void Handle(RecordAuditAccess command, IDocumentSession session, TimeProvider clock) =>
        session.Events.Append(AccessLogOf(command.AuditorId),
            new AuditLogRead(command.AuditorId, command.Operation, command.Arguments, command.Results, clock.GetUtcNow()));

    /// <summary>One access-log stream per auditor, derived from the auditor's user id.</summary>
    public static Guid AccessLogOf(Guid auditorId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("audit-access:" + auditorId.ToString("N")));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
