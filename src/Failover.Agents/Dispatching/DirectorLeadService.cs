using Failover.Agents.DirectorClusters;
using Failover.Agents.Topology;
using Orleans;
using Orleans.Runtime;
using Failover.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Failover.Agents.Dispatching;

/// <summary>
/// Where a director acts as active on this silo, hands its lead (epoch, node, lease) to every dispatcher of its
/// agent: at once when it starts acting or its epoch changes, then every heartbeat period. Dispatchers start orders
/// only while they hold a fresh lead. Each lead carries the ticket of the dispatcher's previous answer and what is left
/// of the director's lease measured after that ticket arrived, so the dispatcher, counting from its ticket, never leads
/// longer than the director may act; a lead the dispatcher could not count (no ticket of its current activation yet)
/// is sent again at once with the ticket it answered.
/// </summary>
internal sealed partial class DirectorLeadService(
    DirectorRoles roles,
    TopologyView topology,
    IGrainFactory grains,
    LocalSilo silo,
    TimeProvider timeProvider,
    ILogger<DirectorLeadService> logger) : BackgroundService
{
    private static readonly TimeSpan LookPeriod = TimeSpan.FromMilliseconds(25);

    private readonly Dictionary<string, (long Epoch, TimeSpan SentAt)> _sent = new(StringComparer.Ordinal);
    private readonly HashSet<string> _failing = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LeadTicket> _tickets = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = timeProvider.GetElapsedTime(0, timeProvider.GetTimestamp());
            var document = topology.Current;
            var acting = roles.Acting();
            foreach (var (agent, epoch, _, _) in acting)
            {
                var period = document.FindAgentCluster(agent)?.Heartbeat ?? TimeSpan.FromMilliseconds(250);
                if (_sent.TryGetValue(agent, out var sent) && sent.Epoch == epoch && now - sent.SentAt < period)
                {
                    continue;
                }

                _sent[agent] = (epoch, now);
                foreach (var key in DispatcherKeys.OfAgent(document, agent))
                {
                    _ = SendAsync(key, agent, period, stoppingToken);
                }
            }

            foreach (var agent in _sent.Keys.Except(acting.Select(a => a.Agent)).ToList())
            {
                _sent.Remove(agent);
            }

            try
            {
                await Task.Delay(LookPeriod, timeProvider, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task SendAsync(string key, string agent, TimeSpan period, CancellationToken cancellationToken)
    {
        try
        {
            for (var attempt = 0; attempt < 2; attempt++)
            {
                if (await LeadOnceAsync(key, agent, period, cancellationToken) is not { Counted: false })
                {
                    break;
                }
            }

            lock (_failing)
            {
                if (_failing.Remove(key))
                {
                    LogLeadDelivered(key, agent);
                }
            }
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            lock (_failing)
            {
                if (!_failing.Add(key))
                {
                    return;
                }
            }

            LogLeadFailed(key, agent, exception.Message);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>One lead to one dispatcher; null when this silo's director no longer acts.</summary>
    private async Task<LeadReceipt?> LeadOnceAsync(string key, string agent, TimeSpan period, CancellationToken cancellationToken)
    {
        LeadTicket? ticket;
        lock (_tickets)
        {
            ticket = _tickets.GetValueOrDefault(key);
        }

        // What is left of the lease is measured only now, after the ticket arrived: never before it was issued.
        if (roles.LeadOf(agent) is not var (epoch, state, remaining))
        {
            return null;
        }

        var lead = new DirectorLead(agent, epoch, silo.NodeName, state, remaining, ticket);
        var receipt = await grains.GetGrain<IJobDispatcherGrain>(key).Lead(lead).WaitAsync(period * 4, timeProvider, cancellationToken);
        lock (_tickets)
        {
            _tickets[key] = receipt.Ticket;
        }

        return receipt;
    }
    [LoggerMessage(Level = LogLevel.Warning, Message = "The director of {Agent} cannot reach dispatcher {Dispatcher}: {Reason}")]
    private partial void LogLeadFailed(string dispatcher, string agent, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "The director of {Agent} reaches dispatcher {Dispatcher} again")]
    private partial void LogLeadDelivered(string dispatcher, string agent);
}
