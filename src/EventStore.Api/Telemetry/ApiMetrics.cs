using System.Diagnostics.Metrics;

namespace EventStore.Api.Telemetry;

/// <summary>
/// The API's own instruments on the <see cref="EventStoreTelemetry.Name"/> meter: GraphQL operations (duration by
/// operation, type and outcome), commands handled, WebSocket connections and live subscriptions, events appended, assistant tokens and
/// cost. Tags are bounded: an operation is named after its root field once the document validated, never after the
/// client's free-text operation name.
/// </summary>
public sealed class ApiMetrics
{
    private readonly Histogram<double> _operationDuration;
    private readonly UpDownCounter<long> _webSocketConnections;
    private readonly UpDownCounter<long> _subscriptions;
    private readonly Counter<long> _eventsAppended;
    private readonly Counter<long> _commands;
    private readonly Counter<long> _assistantTokens;
    private readonly Counter<double> _assistantCost;

    public ApiMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(EventStoreTelemetry.Name);
        _operationDuration = meter.CreateHistogram<double>("eventstore.graphql.operation.duration", "s",
            "GraphQL operations, by root field (`operation`), `type` and `outcome` (ok, error, refused).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _webSocketConnections = meter.CreateUpDownCounter<long>("eventstore.websocket.connections", "{connection}",
            "Open graphql-transport-ws connections.");
        _subscriptions = meter.CreateUpDownCounter<long>("eventstore.graphql.subscriptions", "{subscription}",
            "Live GraphQL subscriptions streaming now.");
        _eventsAppended = meter.CreateCounter<long>("eventstore.events.appended", "{event}",
            "Events committed to the event store by this node, by event type (`type`).");
        _commands = meter.CreateCounter<long>("eventstore.commands", "{command}",
            "Commands and messages handled, by `command` (its type name) and `outcome` (ok, refused, failed).");
        _assistantTokens = meter.CreateCounter<long>("eventstore.assistant.tokens", "{token}",
            "AI tokens used by the assistant, by `direction` (input, output) and `model`.");
        _assistantCost = meter.CreateCounter<double>("eventstore.assistant.cost", "{currency}",
            "Cost of the assistant's answers in the configured price unit (Assistant:Prices), by `model`.");
    }

    public void OperationCompleted(string operation, string type, string outcome, TimeSpan elapsed) =>
        _operationDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("operation", operation),
            new KeyValuePair<string, object?>("type", type), new KeyValuePair<string, object?>("outcome", outcome));

    public void WebSocketOpened() => _webSocketConnections.Add(1);

    public void WebSocketClosed() => _webSocketConnections.Add(-1);

    public void SubscriptionStarted() => _subscriptions.Add(1);

    public void SubscriptionEnded() => _subscriptions.Add(-1);

    public void EventsAppended(string type, int count) =>
        _eventsAppended.Add(count, new KeyValuePair<string, object?>("type", type));

    public void CommandHandled(string command, string outcome) =>
        _commands.Add(1, new KeyValuePair<string, object?>("command", command), new KeyValuePair<string, object?>("outcome", outcome));

    public void AssistantAnswered(string model, int tokensIn, int tokensOut, decimal cost)
    {
        var tag = new KeyValuePair<string, object?>("model", model);
        _assistantTokens.Add(tokensIn, tag, new KeyValuePair<string, object?>("direction", "input"));
        _assistantTokens.Add(tokensOut, tag, new KeyValuePair<string, object?>("direction", "output"));
        _assistantCost.Add((double)cost, tag);
    }
}
