using System.ComponentModel.DataAnnotations;
using EventStore.Contracts;

namespace EventStore.Api.Integration;

/// <summary>
/// Section <c>Kafka</c>. Unset <see cref="BootstrapServers"/> (the default): integration events travel on a durable
/// local queue in-process. Set: they are published to one topic per module, and the Notifications module consumes
/// them from Kafka.
/// </summary>
public sealed class KafkaOptions
{
    public const string SectionName = "Kafka";

    /// <summary>host:port[,host:port]. Unset: Kafka is off.</summary>
    public string? BootstrapServers { get; set; }

    /// <summary>Consumer group of this app's own consumers (the Notifications module).</summary>
    [Required(AllowEmptyStrings = false)]
    public string ConsumerGroup { get; set; } = "eventstore-notifications";

    /// <summary>
    /// How long the group coordinator waits for a silent consumer before it gives its partitions to another. A consumer
    /// that is restarted (or a node killed) leaves a member behind; every rebalance waits this long for it. librdkafka's
    /// default is 45 s; 10 s keeps a restart or a failover short while tolerating GC pauses (heartbeats every third).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:06", "00:05:00")]
    public TimeSpan ConsumerSessionTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Create missing topics at start-up. Off by default: production topics are provisioned by operators (partitions,
    /// replication), and librdkafka's mock cluster used in tests cannot create topics this way.
    /// </summary>
    public bool AutoProvision { get; set; }

    /// <summary>Topic per module: keys users, trading, chat, assistant, compliance.</summary>
    public Dictionary<string, string> Topics { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public bool Enabled => !string.IsNullOrWhiteSpace(BootstrapServers);

    public static string DefaultTopic(string module) => $"eventstore.{module}";

    public string TopicFor(string module) =>
        Topics.TryGetValue(module, out var topic) && !string.IsNullOrWhiteSpace(topic) ? topic.Trim() : DefaultTopic(module);

    /// <summary>Every configured topic name, by module (for start-up validation and topic creation).</summary>
    public IReadOnlyDictionary<string, string> AllTopics() =>
        IntegrationModules.All.ToDictionary(m => m, TopicFor, StringComparer.OrdinalIgnoreCase);
}
