using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Failover.Agents.FailoverPairs;

/// <summary>
/// A heartbeat between the two failover agents of a pair, node to node, signed with the sending silo's key. A request
/// has no <see cref="Echo"/>; the answer is the other side's own heartbeat with <see cref="Echo"/> =
/// <c>bootId:sequence</c> of the request, so an answer cannot be replayed.
/// </summary>
public sealed record PeerHeartbeat(
    string Identity,
    PairRole AgentId,
    string Node,
    string BootId,
    long Sequence,
    bool Running,
    string? Echo,
    string PublicKey,
    string Signature = "")
{
    public const string Method = "system:failover-pairs/heartbeat";

    public static PeerHeartbeat Create(string identity, PairRole agentId, string node, string bootId, long sequence, bool running, string? echo, SiloKeyPair keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var unsigned = new PeerHeartbeat(identity, agentId, node, bootId, sequence, running, echo, keys.PublicKey);
        return unsigned with { Signature = keys.Sign(unsigned.SignedBytes()) };
    }

    /// <summary>True when <see cref="Signature"/> is <see cref="PublicKey"/>'s signature of every other field.</summary>
    public bool HasValidSignature() => SiloKeys.Verify(PublicKey, SignedBytes(), Signature);

    public static string EchoOf(PeerHeartbeat request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return $"{request.BootId}:{request.Sequence.ToString(CultureInfo.InvariantCulture)}";
    }

    private byte[] SignedBytes() => Encoding.UTF8.GetBytes(string.Join('\n',
        "failover-pair-heartbeat/1", Identity, PairNames.Of(AgentId), Node, BootId, Sequence.ToString(CultureInfo.InvariantCulture),
        Running ? "running" : "not-running", Echo ?? "", PublicKey));
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(PeerHeartbeat))]
[JsonSerializable(typeof(IReadOnlyList<FailoverPairStatus>))]
public sealed partial class PairJsonContext : JsonSerializerContext;
