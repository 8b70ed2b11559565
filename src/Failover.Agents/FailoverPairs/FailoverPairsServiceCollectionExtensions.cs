using Failover.Storage.Events;
using Orleans;
using Orleans.Runtime;
using Failover.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Failover.Hosting.Placement;

namespace Failover.Agents.FailoverPairs;

public static class FailoverPairsServiceCollectionExtensions
{
    public const string FailoverAgentsKey = "FailoverAgents";

    /// <summary>
    /// Adds failover agent pairs to a silo: the witness and registry grains (every silo may host a witness), and one
    /// failover agent per file listed in <c>FailoverAgents</c>, running the agent the <c>ManagedAgents</c> section
    /// defines. Reads and checks all of it now: a problem throws <see cref="FailoverAgentConfigException"/> (one line)
    /// and nothing is added.
    /// </summary>
    public static IServiceCollection AddFailoverPairs(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var definitions = ReadManagedAgents(configuration);
        var configs = ReadFailoverAgents(configuration, definitions);

        services.TryAddSingleton(sp => SiloKeyPair.LoadOrCreate(sp.GetRequiredService<IOptions<FailoverSiloOptions>>().Value.ResolveDataDirectory()));
        if (configs.Count == 0)
        {
            return services;
        }

        if (configuration.GetValue("HttpPort", 0) <= 0)
        {
            throw new FailoverAgentConfigException(
                $"failover agents ({string.Join(", ", configs.Select(c => c.AgentVipIdentity))}) need --http-port: their peer heartbeats go over HTTP to that port");
        }

        services.TryAddSingleton(sp => new ManagedAgentLauncher(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new FailoverPairServices(
            sp.GetRequiredService<LocalSilo>(),
            sp.GetRequiredService<SiloKeyPair>(),
            sp.GetRequiredService<IGrainFactory>(),
            sp.GetRequiredService<SiloHealth>(),
            sp.GetRequiredService<IClusterEventLog>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ManagedAgentLauncher>(),
            sp.GetRequiredService<ILoggerFactory>()));
        for (var i = 0; i < configs.Count; i++)
        {
            var config = configs[i];
            var index = i;
            services.AddSingleton(sp => new FailoverPairAgent(config, definitions[config.AgentVipIdentity], sp.GetRequiredService<FailoverPairServices>()));
            services.AddSingleton<IHostedService>(sp => sp.GetServices<FailoverPairAgent>().ElementAt(index));
        }

        services.TryAddSingleton<FailoverPairAgents>();
        services.AddSingleton<INodePlacementRule>(sp =>
        {
            var agents = sp.GetRequiredService<FailoverPairAgents>();
            return new WitnessPlacement(
                sp.GetRequiredService<IOptions<FailoverSiloOptions>>().Value.Node,
                identity => agents.Find(identity) is { } agent ? new PairNodes(identity, agent.PeerNode) : null);
        });
        return services;
    }

    /// <summary>The silo's public key (made on first use), as <c>silo show-key</c> prints it.</summary>
    public static string ShowKey(IConfiguration configuration)
    {
        var options = configuration.Get<FailoverSiloOptions>() ?? new FailoverSiloOptions();
        using var keys = SiloKeyPair.LoadOrCreate(options.ResolveDataDirectory());
        return keys.PublicKey;
    }

    private static Dictionary<string, ManagedAgentDefinition> ReadManagedAgents(IConfiguration configuration)
    {
        var definitions = new Dictionary<string, ManagedAgentDefinition>(StringComparer.Ordinal);
        foreach (var child in configuration.GetSection(ManagedAgentDefinition.SectionName).GetChildren())
        {
            ManagedAgentDefinition definition;
            try
            {
                definition = child.Get<ManagedAgentDefinition>(o => o.ErrorOnUnknownConfiguration = true) ?? new ManagedAgentDefinition();
            }
            catch (InvalidOperationException exception)
            {
                throw new FailoverAgentConfigException($"ManagedAgents:{child.Key}: {OneLine(exception.Message)}");
            }

            if (definition.Problem(child.Key) is { } problem)
            {
                throw new FailoverAgentConfigException(problem);
            }

            definitions[child.Key] = definition;
        }

        return definitions;
    }

    private static List<FailoverAgentConfig> ReadFailoverAgents(IConfiguration configuration, Dictionary<string, ManagedAgentDefinition> definitions)
    {
        var section = configuration.GetSection(FailoverAgentsKey);
        var paths = section.Value is { Length: > 0 } single ? [single] : section.GetChildren().Select(c => c.Value).ToList();
        var identities = definitions.Keys.ToHashSet(StringComparer.Ordinal);
        var configs = new List<FailoverAgentConfig>();
        foreach (var path in paths)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                throw new FailoverAgentConfigException("FailoverAgents must list paths of failover agent config files");
            }

            var config = FailoverAgentConfigParser.ParseFile(path, identities);
            if (configs.FirstOrDefault(c => c.AgentVipIdentity == config.AgentVipIdentity) is { } other)
            {
                throw new FailoverAgentConfigException(
                    $"failover agent configs '{other.Source}' and '{config.Source}' both manage '{config.AgentVipIdentity}'");
            }

            if (definitions[config.AgentVipIdentity].Command is not null && ManagedAgentLauncher.Problem() is { } missing)
            {
                throw new FailoverAgentConfigException(
                    $"failover agent config '{config.Source}': managed agent '{config.AgentVipIdentity}' is a command, and {missing}");
            }

            configs.Add(config);
        }

        return configs;
    }

    private static string OneLine(string text) => string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
