using Failover.Agents.Dispatching;
using Failover.Agents.Topology;
using Orleans;
using Orleans.Runtime;
using Failover.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Failover.Agents.Subagents;

/// <summary>
/// Runs every subagent the topology places on this silo's node, following topology changes. Started once the silo is
/// Active (it polls grains); stopped before the silo's transport, killing the runs (their processes would die with the
/// silo anyway: see <see cref="JobProcessRunner"/>).
/// </summary>
internal sealed partial class SubagentService(
    TopologyView topology,
    IGrainFactory grains,
    LocalSilo silo,
    JobProcessRunner jobs,
    IOptions<SubagentOptions> options,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory) : TopologyFollower(topology)
{
    private readonly Dictionary<string, SubagentRunner> _runners = new(StringComparer.Ordinal);
    private readonly ILogger _logger = loggerFactory.CreateLogger<SubagentService>();

    protected override async Task StopAllAsync()
    {
        await Task.WhenAll(_runners.Values.Select(r => r.DisposeAsync().AsTask()));
        _runners.Clear();
    }

    protected override async Task ReconcileAsync(TopologyDocument document)
    {
        var wanted = document.SubagentsOn(silo.NodeName).ToDictionary(s => s.Id, StringComparer.Ordinal);
        foreach (var (id, runner) in _runners.ToList())
        {
            if (!wanted.TryGetValue(id, out var spec) || spec.Agent != runner.Spec.Agent)
            {
                _runners.Remove(id);
                await runner.DisposeAsync();
                LogSubagentLeft(id, silo.NodeName);
            }
            else
            {
                runner.Spec = spec;
                runner.Agent = document.FindAgentCluster(spec.Agent);
            }
        }

        foreach (var (id, spec) in wanted)
        {
            if (!_runners.TryGetValue(id, out var runner))
            {
                runner = new SubagentRunner(
                    spec, document.FindAgentCluster(spec.Agent), grains, jobs, silo.Incarnation, options.Value.SelfFencing, timeProvider, _logger);
                _runners[id] = runner;
                LogSubagentStarted(id, spec.Agent, silo.NodeName);
            }

            runner.Follow(DispatcherKeys.OfSubagent(document, spec));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Subagent {Subagent} of {Agent} runs on node {Node}")]
    private partial void LogSubagentStarted(string subagent, string agent, string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "Subagent {Subagent} left node {Node}")]
    private partial void LogSubagentLeft(string subagent, string node);
}
