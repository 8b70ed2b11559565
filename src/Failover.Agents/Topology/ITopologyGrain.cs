using Orleans;
using Orleans.Runtime;

namespace Failover.Agents.Topology;

/// <summary>The cluster's topology, kept by one grain (key <see cref="Key"/>); silos poll it to learn their roles.</summary>
[Alias("Failover.ITopologyGrain")]
public interface ITopologyGrain : IGrainWithStringKey
{
    public const string Key = "topology";

    /// <summary>
    /// How long a client waits for an apply or a read of the topology: a document near
    /// <see cref="TopologyLimits.MaxDocumentChars"/> is parsed, diffed and written in one call, which can outlast the
    /// default response timeout on a loaded machine. These calls are rare.
    /// </summary>
    public const string Timeout = "00:01:00";

    /// <summary>Validates and stores <paramref name="json"/> unless it equals the current topology (not forced).</summary>
    [ResponseTimeout(Timeout)]
    Task<TopologyApplyResult> Apply(string json);

    /// <summary>
    /// Validates and stores <paramref name="json"/> unless it equals the current topology. Unless
    /// <paramref name="force"/> is set, a topology that removes an agent cluster with open (pending or running) orders is
    /// refused: nothing changes and <see cref="TopologyApplyResult.Refusal"/> says which orders.
    /// </summary>
    [ResponseTimeout(Timeout)]
    Task<TopologyApplyResult> Apply(string json, bool force);

    /// <summary>The current topology when its version is above <paramref name="knownVersion"/>, else null.</summary>
    [ResponseTimeout(Timeout)]
    Task<TopologySnapshot?> GetIfNewer(long knownVersion);
}

/// <summary>A stored topology: its canonical JSON and the version it was applied as (0 = none yet).</summary>
[GenerateSerializer]
[Alias("Failover.TopologySnapshot")]
public sealed record TopologySnapshot(long Version, string Json, string ContentHash);

/// <summary>
/// What an apply did: <see cref="Changes"/> is one line per changed entity (empty when nothing changed);
/// <see cref="Refusal"/> is why nothing was applied, when it was refused.
/// </summary>
[GenerateSerializer]
[Alias("Failover.TopologyApplyResult")]
public sealed record TopologyApplyResult(bool Changed, long Version, IReadOnlyList<string> Changes, string? Refusal = null);
