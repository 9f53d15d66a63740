using EventStore.Contracts;
using Wolverine.Util;

namespace EventStore.Api.Integration;

/// <summary>
/// Wire names of the contracts: `trading.order-filled.v1` instead of the .NET type name, so the Kafka `message-type`
/// header matches the schema file and survives renaming a namespace. The contracts assembly stays free of Wolverine.
/// </summary>
public sealed class IntegrationMessageNaming : IMessageTypeNaming
{
    private static readonly Lock Gate = new();

    public static void Register()
    {
        lock (Gate)
        {
            WolverineMessageNaming.InsertFirst<IntegrationMessageNaming>();
        }
    }

    public bool TryDetermineName(Type messageType, out string messageTypeName)
    {
        if (messageType.IsSubclassOf(typeof(IntegrationEvent)) && !messageType.IsAbstract)
        {
            messageTypeName = IntegrationContracts.Describe(messageType).TypeName;
            return true;
        }

        messageTypeName = default!;
        return false;
    }
}
