using System.Diagnostics;
using OpenTelemetry;

namespace EventStore.Api.Telemetry;

/// <summary>
/// Counts the commands and messages Wolverine handled (`eventstore.commands`, by `command` and `outcome`: ok, refused
/// for a client error, failed for a fault) from Wolverine's own spans, which it opens for every inline invocation and
/// every message taken from a queue. Wolverine's meter has the same facts, but its instruments are shared by every host
/// in a process, which only one host per process (production) makes safe to read.
/// </summary>
public sealed class CommandMetricsProcessor(ApiMetrics metrics) : BaseProcessor<Activity>
{
    private const string MessageTypeTag = "messaging.message_type";

    public override void OnEnd(Activity data)
    {
        // An execution span is named after its message type (the others are `send`, `receive`, ...). The handler tag
        // is not there when a middleware (validation) refused the message before the handler ran.
        if (data.Source.Name != TelemetrySetup.Wolverine || data.GetTagItem(MessageTypeTag) is not string type
            || data.OperationName != type)
        {
            return;
        }

        var outcome = data.Status switch
        {
            ActivityStatusCode.Error when Logging.ClientMistakes.IsClientMistakeName(data.StatusDescription) => "refused",
            ActivityStatusCode.Error => "failed",
            _ => "ok",
        };
        // Our commands by their class name (PlaceOrder); integration events by their contract name (trading.order-placed.v1).
        metrics.CommandHandled(type.StartsWith("EventStore.", StringComparison.Ordinal) ? type[(type.LastIndexOf('.') + 1)..] : type, outcome);
    }
}
