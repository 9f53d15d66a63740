using System.Security.Claims;
using System.Threading.Channels;
using Alba;
using EventStore.Api.GraphQL;
using GraphQL;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;

namespace EventStore.IntegrationTests.LiveFeed;

/// <summary>
/// Runs a subscription through a host's GraphQL executer and collects its items; NextAsync waits (bounded) for the next.
/// The WebSocket transport has its own tests; this isolates the resolvers and the live feed.
/// </summary>
public sealed class SubscriptionProbe : IObserver<ExecutionResult>, IAsyncDisposable
{
    private readonly Channel<ExecutionResult> _items = Channel.CreateUnbounded<ExecutionResult>();
    private readonly IGraphQLTextSerializer _serializer;
    private IDisposable? _subscription;

    private SubscriptionProbe(IObservable<ExecutionResult> stream, IGraphQLTextSerializer serializer)
    {
        _serializer = serializer;
        _subscription = stream.Subscribe(this);
    }

    public static async Task<ExecutionResult> ExecuteAsync(IAlbaHost host, string query, string token, object? variables)
    {
        var executer = host.Services.GetRequiredService<IDocumentExecuter<EventStoreSchema>>();
        var serializer = host.Services.GetRequiredService<IGraphQLTextSerializer>();
        var claims = new JsonWebTokenHandler().ReadJsonWebToken(token).Claims;
        var scope = host.Services.CreateScope();
        return await executer.ExecuteAsync(new ExecutionOptions
        {
            Query = query,
            Variables = variables is null ? null : serializer.Deserialize<Inputs>(System.Text.Json.JsonSerializer.Serialize(variables)),
            User = new ClaimsPrincipal(new ClaimsIdentity(claims, "test", "unique_name", "role")),
            RequestServices = scope.ServiceProvider,
        });
    }

    public static async Task<SubscriptionProbe> SubscribeAsync(IAlbaHost host, string query, string token, object? variables = null)
    {
        var result = await ExecuteAsync(host, query, token, variables);
        Assert.True(result.Errors is null or { Count: 0 }, string.Join("; ", result.Errors?.Select(e => e.Message) ?? []));
        return new SubscriptionProbe(result.Streams!.Values.Single(), host.Services.GetRequiredService<IGraphQLTextSerializer>());
    }

    public async Task<System.Text.Json.Nodes.JsonNode> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var item = await _items.Reader.ReadAsync(timeout.Token);
        var json = System.Text.Json.Nodes.JsonNode.Parse(_serializer.Serialize(item))!;
        Assert.Null(json["errors"]);
        return json["data"]!.AsObject().Single().Value!;
    }

    public void OnCompleted() => _items.Writer.TryComplete();

    public void OnError(Exception error) => _items.Writer.TryComplete(error);

    public void OnNext(ExecutionResult value) => _items.Writer.TryWrite(value);

    public ValueTask DisposeAsync()
    {
        _subscription?.Dispose();
        _subscription = null;
        return ValueTask.CompletedTask;
    }
}
