using Failover.Agents.DirectorClusters;
using Failover.Agents.Dispatching;
using Failover.Agents.FileWatches;
using Failover.Agents.Subagents;
using Failover.Agents.SiloControl;
using Failover.Agents.Topology;
using Failover.Hosting;
using Failover.Hosting.Placement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;

namespace Failover.Agents.Hosting;

public static class AgentServiceCollectionExtensions
{
    /// <summary>
    /// Adds the agents to a silo (after <c>AddFailoverCluster</c>): the topology and its watcher, director agent clusters
    /// (witness grains and this node's director instances), job dispatchers and this node's subagents, and operator
    /// control of the silo.
    /// </summary>
    public static IServiceCollection AddFailoverAgents(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<AgentOptions>()
            .Bind(configuration.GetSection(AgentOptions.SectionName), binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // The topology watcher and the subagents get options of their own: they need not know this folder.
        services.AddOptions<TopologyWatchOptions>().Configure<IOptions<AgentOptions>>((watch, agents) => watch.Refresh = agents.Value.TopologyRefresh);
        services.AddOptions<SubagentOptions>().Configure<IOptions<AgentOptions>>((subagents, agents) => subagents.SelfFencing = agents.Value.SubagentSelfFencing);
        services.TryAddSingleton<TopologyView>();
        services.TryAddSingleton<ShutdownIntent>();
        services.TryAddSingleton<DirectorRoles>();
        services.AddSingleton<INodePlacementRule>(sp =>
        {
            var topology = sp.GetRequiredService<TopologyView>();
            return new DirectorClusterPlacement(
                topology,
                cancellationToken => topology.CatchUpAsync(sp.GetRequiredService<IGrainFactory>(), cancellationToken),
                sp.GetRequiredService<ILogger<DirectorClusterPlacement>>());
        });
        services.AddSingleton<INodePlacementRule, SiloControlPlacement>();
        services.AddHostedService<TopologyWatcher>();
        services.AddHostedService<DirectorInstanceService>();
        services.TryAddSingleton(sp => new JobProcessRunner(new JobRunnerOptions(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IDirectorWorkload, DispatcherWorkload>();
        services.TryAddSingleton<ITopologyRemovalCheck, OpenOrdersRemovalCheck>();
        services.AddHostedService<SubagentService>();
        services.AddHostedService<DirectorLeadService>();
        services.TryAddSingleton<IFileOrderSink, DispatcherFileOrderSink>();
        services.AddHostedService<FileWatchService>();
        return services;
    }
}
