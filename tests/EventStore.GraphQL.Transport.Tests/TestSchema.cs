using System.Collections.Concurrent;
using GraphQL;
using GraphQL.Types;

namespace EventStore.GraphQL.Transport.Tests;

/// <summary>
/// The smallest schema that exercises the transport: a query with arguments and nesting, a mutation, and two
/// subscriptions (a finite one, and one that stays open until the client completes it).
/// </summary>
public sealed class TestSchema : Schema
{
    public TestSchema(IServiceProvider services, TestProbe probe)
        : base(services)
    {
        var query = new ObjectGraphType { Name = "Query" };
        query.Field<StringGraphType>("hello")
            .Argument<StringGraphType>("name")
            .Resolve(context =>
            {
                probe.Resolved();
                return "Hello, " + (context.GetArgument<string?>("name") ?? "world");
            });
        query.Field<NodeType>("node").Resolve(_ => new object());
        Query = query;

        var mutation = new ObjectGraphType { Name = "Mutation" };
        mutation.Field<IntGraphType>("bump").Resolve(_ => probe.Bump());
        Mutation = mutation;

        var subscription = new ObjectGraphType { Name = "Subscription" };
        subscription.Field<IntGraphType>("count")
            .Argument<NonNullGraphType<IntGraphType>>("to")
            .ResolveStream(context => new CountTo(context.GetArgument<int>("to")));
        subscription.Field<IntGraphType>("forever")
            .Argument<NonNullGraphType<StringGraphType>>("key")
            .ResolveStream(context => new Forever(context.GetArgument<string>("key"), probe));
        Subscription = subscription;
    }

    /// <summary>1, 2, ... <paramref name="to"/>, then completes.</summary>
    private sealed class CountTo(int to) : IObservable<object?>
    {
        public IDisposable Subscribe(IObserver<object?> observer)
        {
            for (var i = 1; i <= to; i++)
            {
                observer.OnNext(i);
            }

            observer.OnCompleted();
            return new Unsubscriber(() => { });
        }
    }

    /// <summary>Never sends; tells the probe when the transport lets go of it.</summary>
    private sealed class Forever(string key, TestProbe probe) : IObservable<object?>
    {
        public IDisposable Subscribe(IObserver<object?> observer)
        {
            probe.Subscribed(key);
            return new Unsubscriber(() => probe.Unsubscribed(key));
        }
    }

    private sealed class Unsubscriber(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}

/// <summary>A node that has a child node: as deep as the client asks.</summary>
public sealed class NodeType : ObjectGraphType<object>
{
    public NodeType()
    {
        Name = "Node";
        Field<StringGraphType>("name").Resolve(_ => "node");
        Field<NodeType>("child").Resolve(_ => new object());
    }
}

/// <summary>What the schema saw: resolver calls, and the subscriptions opened and closed (signals to wait on, not to poll).</summary>
public sealed class TestProbe
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _subscribed = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _unsubscribed = new();
    private int _resolved;
    private int _bumps;

    public int ResolvedCount => Volatile.Read(ref _resolved);

    public int Bumps => Volatile.Read(ref _bumps);

    public void Resolved() => Interlocked.Increment(ref _resolved);

    public int Bump() => Interlocked.Increment(ref _bumps);

    public Task SubscribedAsync(string key) => Signal(_subscribed, key).Task;

    public Task UnsubscribedAsync(string key) => Signal(_unsubscribed, key).Task;

    internal void Subscribed(string key) => Signal(_subscribed, key).TrySetResult();

    internal void Unsubscribed(string key) => Signal(_unsubscribed, key).TrySetResult();

    private static TaskCompletionSource Signal(ConcurrentDictionary<string, TaskCompletionSource> signals, string key) =>
        signals.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
