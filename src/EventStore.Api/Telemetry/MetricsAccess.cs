using System.Net;

namespace EventStore.Api.Telemetry;

/// <summary>
/// Who may read `/metrics`: loopback callers, and the configured networks. A request without a network address (an
/// in-process or Unix-socket caller, which a proxy in front could be relaying) is refused.
/// </summary>
public sealed class MetricsAccess(IReadOnlyList<IPNetwork> allowed)
{
    public bool Allows(IPAddress? caller)
    {
        if (caller is null)
        {
            return false;
        }

        if (caller.IsIPv4MappedToIPv6)
        {
            caller = caller.MapToIPv4();
        }

        return IPAddress.IsLoopback(caller) || allowed.Any(network => network.Contains(caller));
    }
}
