using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using Confluent.Kafka;

namespace EventStore.IntegrationTests.Integration;

/// <summary>
/// A Kafka broker for tests: librdkafka's built-in mock cluster, speaking the real Kafka protocol on a loopback TCP
/// port (no broker can be installed here). This client holds the cluster; the app and the test's consumers connect to
/// <see cref="BootstrapServers"/> like to any broker. The broker can be taken down and brought back, which closes
/// every connection and refuses new ones: "the broker is unreachable".
/// </summary>
public sealed partial class KafkaMockCluster : IDisposable
{
    private readonly IAdminClient _holder;
    private readonly IntPtr _cluster;

    static KafkaMockCluster() =>
        NativeLibrary.SetDllImportResolver(typeof(KafkaMockCluster).Assembly, (name, _, _) =>
            name == "librdkafka" ? NativeLibrary.Load(LoadedLibrdkafka()) : IntPtr.Zero);

    public KafkaMockCluster()
    {
        var config = new AdminClientConfig { BootstrapServers = "unused:9092" };
        config.Set("test.mock.num.brokers", "1");
        _holder = new AdminClientBuilder(config).Build();
        var broker = _holder.GetMetadata(TimeSpan.FromSeconds(10)).Brokers.Single();
        BootstrapServers = $"{broker.Host}:{broker.Port}";
        _cluster = rd_kafka_handle_mock_cluster(RawHandle(_holder));
    }

    public string BootstrapServers { get; }

    /// <summary>The mock answers CreateTopics poorly; a metadata request for a topic creates it (4 partitions).</summary>
    public void CreateTopics(params string[] topics)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = BootstrapServers }).Build();
        foreach (var topic in topics)
        {
            admin.GetMetadata(topic, TimeSpan.FromSeconds(10));
        }
    }

    public void BrokerDown() => Check(rd_kafka_mock_broker_set_down(_cluster, 1));

    public void BrokerUp() => Check(rd_kafka_mock_broker_set_up(_cluster, 1));

    /// <summary>
    /// An independent consumer (its own group, from the earliest offset) reads <paramref name="topic"/> until
    /// <paramref name="done"/> holds for what it has read, or <paramref name="timeout"/> passes (then the test fails on
    /// its own assertions with what arrived).
    /// </summary>
    public List<KafkaRecord> Consume(string topic, Func<IReadOnlyList<KafkaRecord>, bool> done, TimeSpan timeout)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = BootstrapServers,
            GroupId = "test-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(topic);
        var records = new List<KafkaRecord>();
        var until = DateTime.UtcNow + timeout;
        while (!done(records) && DateTime.UtcNow < until)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { Message: { } m } result)
            {
                records.Add(new KafkaRecord(result.Topic, result.Partition.Value, result.Offset.Value, m.Key,
                    Encoding.UTF8.GetString(m.Value),
                    m.Headers.ToDictionary(h => h.Key, h => Encoding.UTF8.GetString(h.GetValueBytes()))));
            }
        }

        consumer.Close();
        return records;
    }

    public void Dispose() => _holder.Dispose();

    private static void Check(int error)
    {
        if (error != 0)
        {
            throw new InvalidOperationException($"librdkafka mock cluster call failed: {error}");
        }
    }

    /// <summary>Confluent.Kafka keeps the native rd_kafka_t handle internal; the mock cluster API needs it.</summary>
    private static IntPtr RawHandle(IClient client)
    {
        var property = typeof(Handle).GetProperty("LibrdkafkaHandle", BindingFlags.Instance | BindingFlags.NonPublic)!;
        return ((SafeHandle)property.GetValue(client.Handle)!).DangerousGetHandle();
    }

    /// <summary>
    /// Confluent.Kafka picks one of several librdkafka builds at run time (glibc, centos8, alpine); the mock-cluster calls
    /// must go to the very library it loaded, so find it among the process's mapped files.
    /// </summary>
    private static string LoadedLibrdkafka() =>
        File.ReadLines("/proc/self/maps").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(parts => parts.Length >= 6 && parts[^1].EndsWith("librdkafka.so", StringComparison.Ordinal))
            .Select(parts => parts[^1]).FirstOrDefault()
        ?? throw new InvalidOperationException("librdkafka is not loaded: create a Confluent.Kafka client first.");

    [LibraryImport("librdkafka")]
    private static partial IntPtr rd_kafka_handle_mock_cluster(IntPtr rk);

    [LibraryImport("librdkafka")]
    private static partial int rd_kafka_mock_broker_set_down(IntPtr cluster, int brokerId);

    [LibraryImport("librdkafka")]
    private static partial int rd_kafka_mock_broker_set_up(IntPtr cluster, int brokerId);
}

public sealed record KafkaRecord(string Topic, int Partition, long Offset, string? Key, string Value, IReadOnlyDictionary<string, string> Headers)
{
    public string? MessageType => Headers.GetValueOrDefault("message-type");

    public System.Text.Json.Nodes.JsonNode Json => System.Text.Json.Nodes.JsonNode.Parse(Value)!;
}
