using EventStore.Api.Database;
using EventStore.Api.DeadLetters;
using EventStore.Api.Hosting.Roles;
using EventStore.Api.Privacy;
using EventStore.Domain.Assistant;
using EventStore.Domain.Auditing;
using EventStore.Domain.Chat;
using EventStore.Domain.Community;
using EventStore.Domain.Files;
using EventStore.Domain.MarketData;
using EventStore.Domain.Notifications;
using EventStore.Domain.Privacy;
using EventStore.Domain.Trading;
using EventStore.Domain.Users;
using EventStore.Domain.Validation;
using EventStore.Projections.Assistant;
using EventStore.Projections.Chat;
using EventStore.Projections.Community;
using EventStore.Projections.Files;
using EventStore.Projections.Notifications;
using EventStore.Projections.Trading;
using EventStore.Projections.Users;
using JasperFx;
using JasperFx.Events.Daemon;
using Marten;
using Weasel.Core;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Marten;

namespace EventStore.Api.Hosting;

/// <summary>Marten (event store, documents, async daemon) and Wolverine (command handling) wiring.</summary>
public static class EventStoreSetup
{
    public const string SchemaName = StoreSchema.Name;

    /// <summary>Pauses before each retry of a lost race (each stretched by up to 100 % at random): ten retries, about 1.3 to 2.7 s in all.</summary>
    public static readonly TimeSpan[] RaceRetryCooldowns = [.. new[] { 10, 20, 40, 60, 100, 150, 200, 250, 250, 250 }.Select(ms => TimeSpan.FromMilliseconds(ms))];

    public static WebApplicationBuilder AddEventStore(this WebApplicationBuilder builder)
    {
        var node = NodeSettings.From(builder.Configuration);
        builder.Services.AddSingleton(node);

        builder.AddPersonalData();
        builder.Services.AddSingleton(sp => PostgresConnectionSource.Create(
            sp.GetRequiredService<IConfiguration>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("EventStore.Postgres")));
        // Schema changes run as the owner before anything else starts; the app serves as a least-privilege role.
        builder.Services.AddDatabaseRoles();

        var marten = builder.Services.AddMarten(sp =>
            {
                var options = new StoreOptions();
                options.Connection(sp.GetRequiredService<PostgresConnectionSource>().ConnectionString);
                options.DatabaseSchemaName = SchemaName;
                // Audit metadata on every event (stamped by EventMetadataPolicy, never by hand).
                options.Events.MetadataConfig.CorrelationIdEnabled = true;
                options.Events.MetadataConfig.CausationIdEnabled = true;
                options.Events.MetadataConfig.UserNameEnabled = true;
                options.Events.MetadataConfig.HeadersEnabled = true;
                // The aggregate FetchForWriting loaded from an inline snapshot is the one Marten applies the appended
                // events to at commit: no second read of the snapshot row. Handlers therefore never change a fetched
                // aggregate by hand; they decide on a Copy() (docs/performance.md).
                options.Events.UseIdentityMapForAggregates = true;
                // The serving role owns nothing and may not build: OwnerSchemaSetup applies every change as the owner first.
                options.AutoCreateSchemaObjects = AutoCreate.None;
                // The daemon re-reads the high-water mark this long after a poll that found nothing new (Marten's default
                // is 1 s). Live subscriptions wait for that mark, so it bounds commit -> subscriber latency on quiet
                // stores: 250 ms keeps p99 under 1 s across nodes (docs/performance.md) for one cheap query per 250 ms.
                options.Projections.SlowPollingTime = builder.Configuration.GetValue("EventStore:DaemonSlowPollingTime", TimeSpan.FromMilliseconds(250));
                // Under steady load every poll finds new events and the daemon polls at this pace instead: it bounds the
                // projection lag (p99 about this interval, docs/performance.md). Marten's default is 250 ms.
                options.Projections.FastPollingTime = builder.Configuration.GetValue("EventStore:DaemonFastPollingTime", TimeSpan.FromMilliseconds(250));
                // Enums as their names: events stay readable to auditors and survive enum reordering.
                options.UseSystemTextJsonForSerialization(EnumStorage.AsString);
                options.ConfigureUsers();
                // Every commit that changes a user's sessions or security stamp notifies every node (docs/security.md).
                // Group committers forget a stream another session appended to (docs/performance.md#group-commit): first,
                // so that no other listener's failure can keep it from hearing a commit.
                options.Listeners.Add(sp.GetRequiredService<Domain.Commits.StreamAppendWatch>());
                options.Listeners.Add(sp.GetRequiredService<Auth.Sessions.SecurityChangeListener>());
                options.Listeners.Add(sp.GetRequiredService<Telemetry.EventsAppendedListener>());
                options.ConfigureUserProjections(sp.GetRequiredService<PersonalDataProtector>());
                options.ConfigureTrading();
                options.ConfigureTradingProjections(sp.GetRequiredService<PersonalDataProtector>());
                options.ConfigureNotifications();
                options.ConfigureNotificationProjections();
                options.ConfigureChat();
                options.ConfigureFiles();
                options.ConfigureFileProjections();
                options.ConfigureChatProjections(sp.GetRequiredService<PersonalDataProtector>());
                options.ConfigureCommunity();
                options.ConfigureCommunityProjections(sp.GetRequiredService<PersonalDataProtector>());
                options.ConfigureAssistant();
                options.Schema.For<Assistant.AssistantQuota>().UseOptimisticConcurrency(true); // one user's quota, shared by all nodes
                options.ConfigureAssistantProjections(sp.GetRequiredService<PersonalDataProtector>());
                return options;
            })
            .UseLightweightSessions()
            .IntegrateWithWolverine(w =>
            {
                // Several nodes, WolverineManaged: Wolverine's leader assigns each projection to one node. It replaces
                // Marten's coordinator outright, so Marten's daemon mode is then left unset (Wolverine refuses both).
                w.UseWolverineManagedEventSubscriptionDistribution =
                    node.Distributed && node.Distribution == ProjectionDistribution.WolverineManaged;
            });
        // Solo: this process runs every projection. Several nodes, HotCold: every projecting node competes for one
        // advisory lock per projection, and the holder runs it; when it dies, PostgreSQL drops its locks and another
        // node takes them on its next leadership poll (docs/architecture.md, "One node or several").
        // `EventStore:RunProjections=false` makes an API-only node: it serves queries, commands and subscriptions
        // (its live feed follows the high-water mark that the projecting nodes maintain) but projects nothing.
        if (node.StartsMartenDaemon)
        {
            marten.AddAsyncDaemon(node.Distributed ? DaemonMode.HotCold : DaemonMode.Solo);
        }

        // Poison events are dead-lettered and skipped, never stop a projection (DeadLetters/, docs/operations.md).
        builder.AddProjectionSupervision();

        builder.Services.AddUsers();
        builder.Services.AddTrading();
        builder.Services.AddNotifications();
        builder.Services.AddCommunity();
        builder.Services.AddScoped<IQuotedSymbols, TradableInstruments>();
        builder.Services.AddHostedService<InstrumentSeeder>();

        builder.Host.UseWolverine(opts =>
        {
            opts.UseRuntimeCompilation();
            opts.Discovery.IncludeAssembly(typeof(UserAccount).Assembly);
            opts.Policies.AutoApplyTransactions();
            opts.Policies.Add<FluentValidationPolicy>();
            // Added after FluentValidationPolicy so that it runs before it: the input rule is the floor every validator stands on.
            opts.Policies.Add<TextHygienePolicy>();
            opts.Policies.Add<EventMetadataPolicy>();
            opts.EnableRelayOfUserName = true;
            // Balanced in both distributions: Wolverine's own leader spreads the durability agents (recovery of the
            // durable inbox and outbox, scheduled messages) over the nodes, independently of who runs the projections.
            opts.Durability.Mode = node.Distributed ? DurabilityMode.Balanced : DurabilityMode.Solo;

            // Cascaded work (order matching, scheduled DAY expiry) goes through the durable inbox in the same
            // transaction as the events that caused it: a crash after commit loses none of it.
            opts.Policies.UseDurableLocalQueues();

            // A writer that lost a race is retried on fresh state, where its handler decides again (docs/security.md#concurrency):
            // a stream it read moved on (two orders on one account, a match against a cancel); a stream it meant to start
            // was started meanwhile (the first deposit, buy fill, read marker or preferences: created on first use); a
            // first-use document was inserted meanwhile (an idempotency claim, a personal-data key). N writers racing on
            // one stream settle within N - 1 retries, one winner per round; full jitter keeps them out of lock-step.
            opts.OnException<JasperFx.ConcurrencyException>()
                .Or<JasperFx.Events.EventStreamUnexpectedMaxEventIdException>()
                .Or<JasperFx.Events.ExistingStreamIdCollisionException>()
                .Or<Marten.Exceptions.ExistingStreamIdCollisionException>()
                .Or<JasperFx.DocumentAlreadyExistsException>(e => e.DocumentType.IsAssignableTo(typeof(Domain.ICreatedOnFirstUse)),
                    "a document created on first use was inserted meanwhile")
                .RetryWithCooldown(RaceRetryCooldowns).WithFullJitter();
        });

        return builder;
    }
}
