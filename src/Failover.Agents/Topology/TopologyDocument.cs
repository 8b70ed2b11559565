using System.Security.Cryptography;
using System.Text;

namespace Failover.Agents.Topology;

/// <summary>
/// The whole topology as applied with <c>client apply -f</c>. Lists keep the order of the file; two documents are
/// equal when their <see cref="ToCanonicalJson">canonical JSON</see> is, so order and formatting do not matter.
/// </summary>
public sealed class TopologyDocument : IEquatable<TopologyDocument>
{
    private string? _canonicalJson;
    private string? _contentHash;

    public static TopologyDocument Empty { get; } = new();

    public IReadOnlyList<AgentClusterSpec> AgentClusters { get; init => field = [.. value]; } = [];

    public IReadOnlyList<SubagentSpec> Subagents { get; init => field = [.. value]; } = [];

    public IReadOnlyList<SubagentClusterSpec> SubagentClusters { get; init => field = [.. value]; } = [];

    public IReadOnlyList<JobSpec> Jobs { get; init => field = [.. value]; } = [];

    public IReadOnlyList<FileWatchSpec> FileWatches { get; init => field = [.. value]; } = [];

    /// <summary>SHA-256 of the canonical JSON (UTF-8), lower-case hex: equal hashes mean nothing to apply.</summary>
    public string ContentHash =>
        _contentHash ??= Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ToCanonicalJson())));

    /// <summary>
    /// The document in one stable text: keys in a fixed order, lists and maps sorted by id (ordinal), durations in
    /// <see cref="DurationText.Format">canonical text</see>, defaults written out, absent optional values left out.
    /// </summary>
    public string ToCanonicalJson() => _canonicalJson ??= CanonicalJson.Write(this);

    public AgentClusterSpec? FindAgentCluster(string id) => AgentClusters.FirstOrDefault(c => c.Id == id);

    public SubagentSpec? FindSubagent(string id) => Subagents.FirstOrDefault(s => s.Id == id);

    public SubagentClusterSpec? FindSubagentCluster(string id) => SubagentClusters.FirstOrDefault(c => c.Id == id);

    public JobSpec? FindJob(string id) => Jobs.FirstOrDefault(j => j.Id == id);

    /// <summary>The director instances <paramref name="node"/> runs: which agent clusters, as primary or secondary.</summary>
    public IReadOnlyList<(AgentClusterSpec Cluster, DirectorInstance Instance)> AgentClustersDirectedBy(string node) =>
    [
        .. AgentClusters.SelectMany(c => new[] { DirectorInstance.Primary, DirectorInstance.Secondary }
            .Where(i => c.NodeOf(i) == node)
            .Select(i => (c, i))),
    ];

    /// <summary>The subagents that run on <paramref name="node"/>.</summary>
    public IReadOnlyList<SubagentSpec> SubagentsOn(string node) => [.. Subagents.Where(s => s.Node == node)];

    public bool Equals(TopologyDocument? other) =>
        other is not null && (ReferenceEquals(this, other) || ToCanonicalJson() == other.ToCanonicalJson());

    public override bool Equals(object? obj) => Equals(obj as TopologyDocument);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToCanonicalJson());

    public override string ToString() => ToCanonicalJson();
}
