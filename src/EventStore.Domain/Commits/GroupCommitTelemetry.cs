using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace EventStore.Domain.Commits;

/// <summary>
/// What the group committers report, under the app's telemetry name (the Api's <c>EventStoreTelemetry</c> uses the same):
/// a span per shared transaction, linked to the span of every command it carried, and the number of commands per
/// transaction (docs/observability.md).
/// </summary>
public sealed class GroupCommitTelemetry
{
    public const string Name = "EventStore";

    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Histogram<int> _commands;

    public GroupCommitTelemetry(IMeterFactory meters)
    {
        _commands = meters.Create(Name).CreateHistogram<int>("eventstore.group_commit.commands", "{command}",
            "Commands per shared transaction of a group committer, by `aggregate` and `outcome` (committed; retried_alone when the store refused the shared commit and each command was committed on its own).",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64] });
    }

    public void Committed(string aggregate, int commands, bool shared) =>
        _commands.Record(commands, new KeyValuePair<string, object?>("aggregate", aggregate),
            new KeyValuePair<string, object?>("outcome", shared ? "committed" : "retried_alone"));
}
