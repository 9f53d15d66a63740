using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventStore.GraphQL.Transport.Hosting;
using GraphQL;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EventStore.GraphQL.Transport.Tests;

/// <summary>
/// The transport as a host would wire it (AddGraphQLTransport, AddTransportLimits, MapGraphQLTransport), on a real Kestrel
/// listening on a loopback port, with <see cref="TestSchema"/>. No database: the transport needs none.
/// </summary>
public sealed class TransportHost : IAsyncDisposable
{
    /// <summary>The limits of the shared host: small, so that a test reaches them with a short document.</summary>
    public static readonly IReadOnlyDictionary<string, string?> Defaults = new Dictionary<string, string?>
    {
        ["GraphQL:MaxAliases"] = "3",
        ["GraphQL:MaxDepth"] = "4",
        ["GraphQL:MaxRequestBytes"] = "2048",
        ["GraphQL:AnonymousRequestsPerMinute"] = "0",
        ["GraphQL:WebSocketInitTimeout"] = "00:01:00",
    };

    private readonly WebApplication _app;

    private TransportHost(WebApplication app, Uri http)
    {
        _app = app;
        HttpUri = http;
        SocketUri = new UriBuilder(http) { Scheme = "ws", Path = "/graphql" }.Uri;
        Http = new HttpClient { BaseAddress = http };
    }

    public Uri HttpUri { get; }

    public Uri SocketUri { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public TestProbe Probe => _app.Services.GetRequiredService<TestProbe>();

    public static Task<TransportHost> StartAsync(params (string Key, string? Value)[] settings) => StartAsync(null, settings);

    /// <param name="first">Middleware that runs before the transport's (a test's view of the request).</param>
    /// <param name="settings">Settings over <see cref="Defaults"/>.</param>
    public static async Task<TransportHost> StartAsync(Action<IApplicationBuilder>? first, params (string Key, string? Value)[] settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var configuration = new Dictionary<string, string?>(Defaults);
        foreach (var (key, value) in settings)
        {
            configuration[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Services.AddSingleton<TestProbe>();
        builder.Services.AddGraphQLTransport<TestSchema>(builder.Configuration);
        builder.Services.AddGraphQL(graphql => graphql
            .AddSchema<TestSchema>()
            .AddGraphTypes(typeof(TestSchema).Assembly)
            .AddSystemTextJson()
            .AddErrorInfoProvider<TransportErrorInfoProvider>()
            .AddTransportLimits());

        var app = builder.Build();
        first?.Invoke(app);
        app.UseWebSockets();
        app.MapGraphQLTransport<TestSchema>();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TransportHost(app, new Uri(address));
    }

    /// <summary>POSTs <paramref name="body"/> (raw) to `/graphql`.</summary>
    public async Task<Reply> PostAsync(string body, string contentType = "application/json",
        string accept = "application/graphql-response+json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        return await SendAsync(request);
    }

    public Task<Reply> PostQueryAsync(string query, object? variables = null) =>
        PostAsync(JsonSerializer.Serialize(new { query, variables }));

    public async Task<Reply> GetAsync(string pathAndQuery, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        return await SendAsync(request);
    }

    private async Task<Reply> SendAsync(HttpRequestMessage request)
    {
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Reply(response.StatusCode, response.Content.Headers.ContentType?.MediaType, response.Headers, JsonNode.Parse(text)!);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One HTTP answer: status, media type, headers and the JSON body.</summary>
public sealed record Reply(HttpStatusCode Status, string? MediaType, HttpResponseHeaders Headers, JsonNode Body)
{
    public string? FirstCode => Body["errors"]?[0]?["extensions"]?["code"]?.GetValue<string>();

    public string? FirstMessage => Body["errors"]?[0]?["message"]?.GetValue<string>();
}

/// <summary>One host for the tests of a class that share the default settings.</summary>
public sealed class TransportHostFixture : IAsyncLifetime
{
    public TransportHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await TransportHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
