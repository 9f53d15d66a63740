using Confluent.Kafka;
using EventStore.Contracts;
using Microsoft.Extensions.Options;
using Wolverine;
using Wolverine.Kafka;
using Wolverine.Marten;
using Wolverine.Runtime.Serialization;

namespace EventStore.Api.Integration;

/// <summary>
/// Integration events out (the relay, routed to Kafka or to a durable local queue) and in (the Notifications module's
/// handlers listen on the same place). docs/integration.md.
/// </summary>
public static class IntegrationSetup
{
    /// <summary>Carries the integration events in-process when Kafka is off.</summary>
    public const string LocalQueue = "integration-events";

    /// <summary>Modules whose events this app consumes itself (Notifications). Users' events have no consumer here.</summary>
    private static readonly string[] ConsumedModules =
        [IntegrationModules.Trading, IntegrationModules.Chat, IntegrationModules.Assistant, IntegrationModules.Compliance,
            IntegrationModules.Community];

    public static WebApplicationBuilder AddIntegrationEvents(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<KafkaOptions>().BindConfiguration(KafkaOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.AllTopics().Values.Distinct(StringComparer.Ordinal).Count() == IntegrationModules.All.Count,
                "Kafka:Topics must name a different topic for every module.")
            .Validate(o => o.Topics.Keys.All(k => IntegrationModules.All.Contains(k, StringComparer.OrdinalIgnoreCase)),
                $"Kafka:Topics keys must be modules: {string.Join(", ", IntegrationModules.All)}.")
            .ValidateOnStart();
        builder.Services.AddSingleton(IntegrationEventMap.Default());
        builder.Services.SubscribeToEventsWithServices<IntegrationEventRelay>(ServiceLifetime.Singleton);

        var kafka = builder.Configuration.GetSection(KafkaOptions.SectionName).Get<KafkaOptions>() ?? new KafkaOptions();
        builder.Services.ConfigureWolverine(opts => Route(opts, kafka));
        return builder;
    }

    private static void Route(WolverineOptions opts, KafkaOptions kafka)
    {
        IntegrationMessageNaming.Register();
        // A copy per host: Wolverine adds its converters to the options it is given, which freezes them.
        var serializer = new SystemTextJsonSerializer(new System.Text.Json.JsonSerializerOptions(IntegrationContracts.Json));
        var byModule = IntegrationContracts.All.GroupBy(t => IntegrationContracts.Describe(t).Module);
        if (!kafka.Enabled)
        {
            opts.Publish(rule =>
            {
                foreach (var type in IntegrationContracts.All)
                {
                    rule.Message(type);
                }

                rule.ToLocalQueue(LocalQueue);
            });
            opts.LocalQueue(LocalQueue).UseDurableInbox();
            return;
        }

        var transport = opts.UseKafka(kafka.BootstrapServers!)
            .ConfigureProducers(p =>
            {
                // No duplicates or reordering from the producer's own retries; a write counts once all replicas have it.
                p.EnableIdempotence = true;
                p.Acks = Acks.All;
            })
            .ConfigureConsumers(c =>
            {
                c.GroupId = kafka.ConsumerGroup;
                c.AutoOffsetReset = AutoOffsetReset.Earliest;
                c.SessionTimeoutMs = (int)kafka.ConsumerSessionTimeout.TotalMilliseconds;
                c.HeartbeatIntervalMs = (int)(kafka.ConsumerSessionTimeout.TotalMilliseconds / 3);
            });
        if (kafka.AutoProvision)
        {
            transport.AutoProvision();
        }

        foreach (var module in byModule)
        {
            var topic = kafka.TopicFor(module.Key);
            opts.Publish(rule =>
            {
                foreach (var type in module)
                {
                    rule.Message(type);
                }

                rule.ToKafkaTopic(topic).UseDurableOutbox().DefaultSerializer(serializer);
            });
        }

        foreach (var module in ConsumedModules)
        {
            opts.ListenToKafkaTopic(kafka.TopicFor(module)).UseDurableInbox().DefaultSerializer(serializer);
        }
    }
}
