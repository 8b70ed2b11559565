using Failover.Storage.Directory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;

namespace Failover.Hosting.Membership;

/// <summary>
/// One live silo per node name. A node's roles (its directors, subagents, pair agents) follow its name, so two silos
/// started with the same <c>--node</c> would both run them. Before the silo becomes Active it claims its name in the
/// fenced directory table (the claim is one SQL statement that succeeds only while no live silo holds the name: the
/// holder's membership row is Dead or gone). A holder whose port refuses connections is a crashed predecessor: it is
/// declared Dead and the claim is tried again; a holder that answers is running, and this silo refuses to start.
/// The name is released when the silo stops.
/// </summary>
public sealed partial class NodeNameClaim(
    IGrainDirectoryTable table,
    ILocalSiloDetails local,
    IClusterMembershipService membership,
    RefusedPortDetector ports,
    TimeProvider time,
    ILogger<NodeNameClaim> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>How long a holder that neither answers nor refuses (a partition, a paused process) is waited for.</summary>
    private static readonly TimeSpan s_undecidedWait = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan s_retryPeriod = TimeSpan.FromMilliseconds(250);

    private GrainAddress? _claim;

    /// <summary>The directory key of a node name: a grain type no grain has, so it never meets a real activation.</summary>
    public static GrainId KeyOf(string node) => GrainId.Create("failover-node", node);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(NodeNameClaim), ServiceLifecycleStage.BecomeActive - 1, ClaimAsync, ReleaseAsync);

    private async Task ClaimAsync(CancellationToken cancellationToken)
    {
        var claimant = new GrainAddress { GrainId = KeyOf(local.Name), SiloAddress = local.SiloAddress, ActivationId = ActivationId.NewId() };
        var undecidedSince = time.GetTimestamp();
        while (true)
        {
            var entry = await table.TryClaimAsync(claimant, null, cancellationToken);
            if (entry.Owner is not { } holder || (holder.Equals(claimant.SiloAddress) && entry.Activation == claimant.ActivationId))
            {
                _claim = claimant;
                return;
            }

            // This silo's predecessor on this very port is gone (the port is this silo's now); any other holder is asked.
            var answer = holder.Endpoint.Equals(local.SiloAddress.Endpoint)
                ? PortAnswer.Refused
                : await ports.KnockTwiceAsync(holder.Endpoint, cancellationToken);
            if (answer == PortAnswer.Accepted)
            {
                throw new NodeAlreadyRunningException(
                    $"node '{local.Name}' is already running: silo {holder.ToParsableString()} holds that name and answers on {holder.Endpoint}; stop it first, or give this silo another --node");
            }

            if (answer == PortAnswer.Refused)
            {
                // Its process is gone: declare it Dead so the name frees.
                LogPredecessorDeclaredDead(local.Name, holder.ToParsableString());
                await membership.TryKill(holder);
            }
            else if (time.GetElapsedTime(undecidedSince) > s_undecidedWait)
            {
                throw new NodeAlreadyRunningException(
                    $"node '{local.Name}' is held by silo {holder.ToParsableString()}, which neither answers nor is declared Dead after {s_undecidedWait.TotalSeconds:0} s; stop it first, or give this silo another --node");
            }

            await Task.Delay(s_retryPeriod, time, cancellationToken);
        }
    }

    private async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        if (_claim is { } claim)
        {
            _claim = null;
            await table.ReleaseAsync(claim, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node} was held by silo {Holder}, whose port refuses connections: declaring it Dead to take the name over")]
    private partial void LogPredecessorDeclaredDead(string node, string holder);
}
