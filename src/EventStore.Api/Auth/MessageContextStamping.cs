using System.Security.Claims;
using EventStore.Domain.Auditing;
using EventStore.Domain.Validation;
using Wolverine;

namespace EventStore.Api.Auth;

/// <summary>
/// Who acts and under which correlation id, set once on the scoped message context before any command is sent: every
/// event the commands append then carries it (EventMetadataPolicy). One place for the HTTP and WebSocket transports and
/// for start-up work.
/// </summary>
public static class MessageContextStamping
{
    /// <summary>A trace id and a client's operation id fit easily; anything longer is cut.</summary>
    public const int CorrelationIdMaxLength = 200;

    public static readonly TextRule CorrelationIdRule = TextRule.SingleLine(CorrelationIdMaxLength);

    public static void ActAs(this IMessageContext bus, ClaimsPrincipal user, string correlationId) =>
        bus.ActAs(user.UserId() is { } userId ? SystemActors.User(userId) : "anonymous", correlationId);

    public static void ActAs(this IMessageContext bus, string actor, string correlationId)
    {
        bus.UserName = actor;
        // Part of it can come from a client (a WebSocket operation id): it is stored with every event, so it is held to the
        // input rule, scrubbed rather than refused (a correlation id never fails a command).
        bus.CorrelationId = TextHygiene.Scrub(correlationId, CorrelationIdRule);
    }
}
