using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EventStore.IntegrationTests.Infrastructure;

/// <summary>Starts an app on a real Kestrel socket on a free loopback port, for tests that need the network stack.</summary>
public static class KestrelLoopback
{
    /// <summary>
    /// Starts <paramref name="factory"/>'s server and returns its base HTTP address and its `/graphql` WebSocket address.
    /// <paramref name="log"/> must be a provider of the factory's app (<c>ConfigureLogging(l => l.AddProvider(log))</c>): an
    /// app that stops itself while starting leaves WebApplicationFactory with a disposed host, whose ObjectDisposedException
    /// says nothing of why, so a failed start is reported with the errors the app logged.
    /// </summary>
    public static (Uri Http, Uri Socket) Start(WebApplicationFactory<Program> factory, LogRecorder log,
        Action<KestrelServerOptions>? configure = null)
    {
        factory.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            configure?.Invoke(kestrel);
        });
        string address;
        try
        {
            factory.StartServer();
            address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        }
        catch (Exception start)
        {
            var logged = log.Entries.Where(e => e.Level >= LogLevel.Error)
                .Select(e => $"[{e.Level}] {e.Category}: {e.Message}{(e.Exception is null ? "" : Environment.NewLine + e.Exception)}");
            throw new InvalidOperationException(
                $"The app did not start ({start.GetType().Name}: {start.Message}). What it logged at Error or above:{Environment.NewLine}" +
                string.Join(Environment.NewLine, logged.DefaultIfEmpty("(nothing)")), start);
        }

        return (new Uri(address.TrimEnd('/') + "/"),
            new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal).TrimEnd('/') + "/graphql"));
    }
}
