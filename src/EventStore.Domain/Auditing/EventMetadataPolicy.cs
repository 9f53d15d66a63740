using System.Collections.Concurrent;
using System.Reflection;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using Marten;
using Wolverine;
using Wolverine.Configuration;
using Wolverine.Runtime.Handlers;

namespace EventStore.Domain.Auditing;

/// <summary>
/// Stamps every Marten session a handler uses with the audit metadata, once, for every handler: correlation id (the
/// GraphQL operation or pump tick that started it all), causation id (the message being handled), actor, and the
/// command type as a header. No handler can forget it, and no handler can set it differently.
/// </summary>
public sealed class EventMetadataPolicy : IHandlerPolicy
{
    public void Apply(IReadOnlyList<HandlerChain> chains, GenerationRules rules, IServiceContainer container)
    {
        var method = typeof(EventMetadataMiddleware).GetMethod(nameof(EventMetadataMiddleware.Stamp))!;
        // Our commands, and the integration events our own modules consume (Notifications).
        var assemblies = new[] { typeof(EventMetadataPolicy).Assembly, typeof(Contracts.IntegrationEvent).Assembly };
        foreach (var chain in chains.Where(c => assemblies.Contains(c.MessageType.Assembly)))
        {
            chain.Middleware.Insert(0, new MethodCall(typeof(EventMetadataMiddleware), method));
        }
    }
}

public static class EventMetadataMiddleware
{
    public const string CommandHeader = "command";

    // A message type's [Actor], read once per type: GetCustomAttribute builds a new attribute object on every call, and
    // this runs for every command (docs/performance.md).
    private static readonly ConcurrentDictionary<Type, string?> Actors = new();

    public static void Stamp(IDocumentSession session, IMessageContext context)
    {
        var stamp = EventStamp.Of(context);
        session.CorrelationId = stamp.CorrelationId;
        session.CausationId = stamp.CausationId;
        session.LastModifiedBy = stamp.Actor;
        if (stamp.Command is not null)
        {
            session.SetHeader(CommandHeader, stamp.Command);
        }
    }

    internal static string? ActorOf(Type messageType) =>
        Actors.GetOrAdd(messageType, static t => t.GetCustomAttribute<ActorAttribute>()?.Actor);
}
