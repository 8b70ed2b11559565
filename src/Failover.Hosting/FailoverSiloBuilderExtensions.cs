using Failover.Hosting.Directory;
using Failover.Hosting.Gateway;
using Failover.Hosting.Leases;
using Failover.Hosting.Membership;
using Failover.Hosting.Placement;
using Failover.Hosting.Storage;
using Failover.Storage.Directory;
using Failover.Storage.Events;
using Failover.Storage.Membership;
using Failover.Storage.Persistence;
using Failover.Storage.Records;
using Failover.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Runtime;
using Orleans.Runtime.Hosting;

namespace Failover.Hosting;

public static class FailoverSiloBuilderExtensions
{
    /// <summary>
    /// Makes this Orleans silo a member of a Failover cluster. <paramref name="configuration"/> is the configuration
    /// root: the silo's keys at the top (Node, Host, Port, GatewayPort, Database, ClusterId, ServiceId) and the sections
    /// Membership (Orleans' <see cref="ClusterMembershipOptions"/>, tuned defaults), RefusedPorts, GatewayConnections, Messaging (Orleans'
    /// <see cref="SiloMessagingOptions"/>, response timeout 5 s), Lease and Reminders. Wires Orleans'
    /// ADO.NET clustering, reminders and grain storage to the database, and adds what Orleans lacks for fail-over: the
    /// node lease with its call filter, the fenced grain directory and storage, node placement rules, exit code 3 on a
    /// fatal error, and a gateway whose clients cannot make it hold unread responses without bound. Options are validated when the host starts; unknown keys in those sections are errors.
    /// </summary>
    public static ISiloBuilder AddFailoverCluster(this ISiloBuilder silo, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(configuration);
        var services = silo.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<FailoverSiloOptions>()
            .Bind(configuration)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<FailoverSiloOptions>, FailoverSiloOptionsValidator>();
        services.AddOptions<NodeLeaseOptions>()
            .Bind(configuration.GetSection(NodeLeaseOptions.SectionName), binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddOptions<ClusterOptions>().Configure<IOptions<FailoverSiloOptions>>((cluster, failover) =>
        {
            cluster.ClusterId = failover.Value.ClusterId;
            cluster.ServiceId = failover.Value.ServiceId;
        });
        services.AddOptions<SiloOptions>().Configure<IOptions<FailoverSiloOptions>>((options, failover) => options.SiloName = failover.Value.Node);
        services.AddOptions<EndpointOptions>().Configure<IOptions<FailoverSiloOptions>>((endpoints, failover) =>
        {
            endpoints.AdvertisedIPAddress = failover.Value.HostAddress;
            endpoints.SiloPort = failover.Value.Port;
            endpoints.GatewayPort = failover.Value.EffectiveGatewayPort;
        });
        services.AddOptions<ClusterMembershipOptions>()
            .Configure(TunedMembership.ApplyDefaults)
            .Bind(configuration.GetSection("Membership"), binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClusterMembershipOptions>, TunedMembershipValidator>();
        // Orleans waits 30 s for a response by default; a fail-over product must hear of a lost call sooner.
        services.AddOptions<SiloMessagingOptions>()
            .Configure(messaging => messaging.ResponseTimeout = TimeSpan.FromSeconds(5))
            .Bind(configuration.GetSection("Messaging"), binder => binder.ErrorOnUnknownConfiguration = true);
        services.AddOptions<ReminderOptions>()
            .Configure(reminders => reminders.MinimumReminderPeriod = TimeSpan.FromSeconds(1))
            .Bind(configuration.GetSection("Reminders"), binder => binder.ErrorOnUnknownConfiguration = true);

        silo.UseAdoNetClustering((AdoNetClusteringSiloOptions _) => { });
        services.AddOptions<AdoNetClusteringSiloOptions>().Configure<IOptions<FailoverSiloOptions>>((options, failover) =>
        {
            options.Invariant = AdoNetConnection.Invariant(failover.Value.DatabaseLocation);
            options.ConnectionString = AdoNetConnection.ConnectionString(failover.Value.DatabaseLocation);
        });
        silo.UseAdoNetReminderService((AdoNetReminderTableOptions _) => { });
        services.AddOptions<AdoNetReminderTableOptions>().Configure<IOptions<FailoverSiloOptions>>((options, failover) =>
        {
            options.Invariant = AdoNetConnection.Invariant(failover.Value.DatabaseLocation);
            options.ConnectionString = AdoNetConnection.ConnectionString(failover.Value.DatabaseLocation);
        });
        services.TryAddSingleton<JsonGrainStorageSerializer>();
        silo.AddAdoNetGrainStorageAsDefault((AdoNetGrainStorageOptions _) => { });
        services.AddOptions<AdoNetGrainStorageOptions>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME)
            .Configure<IOptions<FailoverSiloOptions>, JsonGrainStorageSerializer>((options, failover, serializer) =>
            {
                options.Invariant = AdoNetConnection.Invariant(failover.Value.DatabaseLocation);
                options.ConnectionString = AdoNetConnection.ConnectionString(failover.Value.DatabaseLocation);
                options.GrainStorageSerializer = serializer;
            });

        services.TryAddSingleton<IClusterDatabase>(sp => ClusterDatabase.Open(
            sp.GetRequiredService<IOptions<FailoverSiloOptions>>().Value.DatabaseLocation,
            sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton(sp => Database(sp).CreateMembershipRows(ClusterId(sp)));
        services.TryAddSingleton(sp => Database(sp).CreateGrainDirectory(ClusterId(sp)));
        services.TryAddSingleton(sp => Database(sp).CreateGrainStateStore(ServiceId(sp), ClusterId(sp)));
        services.TryAddSingleton(sp => Database(sp).CreateEventLog(ServiceId(sp)));
        services.TryAddSingleton(sp => Database(sp).CreateRecordStore(ServiceId(sp), ClusterId(sp)));

        services.TryAddSingleton<LocalSilo>();
        services.TryAddSingleton<MembershipView>();
        services.TryAddSingleton<SiloHealth>();
        services.AddSingleton<IFatalErrorHandler, ExitOnFatalError>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, MembershipStatusLog>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, StaleSiloReaper>();
        services.AddOptions<RefusedPortOptions>()
            .Bind(configuration.GetSection(RefusedPortOptions.SectionName), binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<RefusedPortDetector>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<RefusedPortDetector>());
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, NodeNameClaim>();
        services.AddOptions<SiloConnectionOptions>().Configure<RefusedPortDetector>((connections, detector) =>
        {
            connections.ConfigureSiloOutboundConnection(builder => builder.Use(detector.WatchOutbound));
            connections.ConfigureSiloInboundConnection(builder => builder.Use(detector.WatchInbound));
        });
        services.AddOptions<GatewayConnectionOptions>()
            .Bind(configuration.GetSection(GatewayConnectionOptions.SectionName), binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<StalledClientGuard>();
        services.AddOptions<SiloConnectionOptions>().Configure<StalledClientGuard>((connections, guard) =>
            connections.ConfigureGatewayInboundConnection(builder => builder.Use(guard.Guard)));
        BoundedGatewayTransport.Register(services);

        services.TryAddSingleton<NodeLease>();
        services.AddSingleton<NodeLeaseRenewer>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<NodeLeaseRenewer>());
        silo.AddIncomingGrainCallFilter<LeaseCallFilter>();

        services.TryAddSingleton<FencingTokens>();
        silo.AddGrainDirectory(Fenced.Directory, (sp, _) => new FencedGrainDirectory(
            sp.GetRequiredService<IGrainDirectoryTable>(), sp.GetRequiredService<FencingTokens>()));
        services.AddGrainStorage(Fenced.Storage, (sp, _) => new FencedGrainStorage(
            sp.GetRequiredService<IGrainStateStore>(), sp.GetRequiredService<FencingTokens>(), sp.GetRequiredService<JsonGrainStorageSerializer>()));

        silo.AddPlacementDirector<NodeRulePlacement, NodeRulePlacementDirector>();
        return silo;
    }

    private static IClusterDatabase Database(IServiceProvider services) => services.GetRequiredService<IClusterDatabase>();

    private static string ClusterId(IServiceProvider services) => services.GetRequiredService<IOptions<FailoverSiloOptions>>().Value.ClusterId;

    private static string ServiceId(IServiceProvider services) => services.GetRequiredService<IOptions<FailoverSiloOptions>>().Value.ServiceId;
}
