using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace EventStore.IntegrationTests.Infrastructure;

/// <summary>Starts an app on a real Kestrel socket on a free loopback port, for tests that need the network stack.</summary>
public static class KestrelLoopback
{
    /// <summary>Starts <paramref name="factory"/>'s server and returns its base HTTP address and its `/graphql` WebSocket address.</summary>
    public static (Uri Http, Uri Socket) Start(WebApplicationFactory<Program> factory, Action<KestrelServerOptions>? configure = null)
    {
        factory.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            configure?.Invoke(kestrel);
        });
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (new Uri(address.TrimEnd('/') + "/"),
            new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal).TrimEnd('/') + "/graphql"));
    }
}
