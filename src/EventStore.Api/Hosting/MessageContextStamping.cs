using System.Security.Claims;
using EventStore.Api.Auth;
using EventStore.Domain.Auditing;
using Wolverine;

namespace EventStore.Api.Hosting;

/// <summary>
/// Who acts and under which correlation id, set once on the scoped message context before any command is sent: every
/// event the commands append then carries it (EventMetadataPolicy). One place for the HTTP and WebSocket transports and
/// for start-up work.
/// </summary>
public static class MessageContextStamping
{
    public static void ActAs(this IMessageContext bus, ClaimsPrincipal user, string correlationId) =>
        bus.ActAs(user.UserId() is { } userId ? SystemActors.User(userId) : "anonymous", correlationId);

    public static void ActAs(this IMessageContext bus, string actor, string correlationId)
    {
        bus.UserName = actor;
        bus.CorrelationId = correlationId;
    }
}
