using System.Collections.Concurrent;
using Failover.Storage.Persistence;
using Orleans.Runtime;

namespace Failover.Hosting.Directory;

/// <summary>
/// The epochs the fenced grain directory granted to this silo's activations. A silo holds at most one activation of a
/// grain, so the grain id names it; the entry goes when the activation unregisters.
/// </summary>
public sealed class FencingTokens
{
    private readonly ConcurrentDictionary<GrainId, Grant> _grants = new();

    /// <summary>The fence of the grain's activation on this silo, or null when it holds no claim.</summary>
    public ActivationFence? FenceOf(GrainId grain) =>
        _grants.TryGetValue(grain, out var grant) ? new ActivationFence(grain, grant.Epoch) : null;

    /// <summary>The epoch of the grain's activation on this silo; throws when it holds no claim.</summary>
    public long EpochOf(GrainId grain) =>
        FenceOf(grain)?.Epoch ?? throw new ActivationFencedException($"grain {grain} holds no claim in the fenced grain directory on this silo");

    internal void Granted(GrainAddress address, long epoch) => _grants[address.GrainId] = new Grant(address.ActivationId, epoch);

    internal void Released(GrainAddress address)
    {
        if (_grants.TryGetValue(address.GrainId, out var grant) && grant.Activation == address.ActivationId)
        {
            _grants.TryRemove(new KeyValuePair<GrainId, Grant>(address.GrainId, grant));
        }
    }

    internal void ReleasedAll() => _grants.Clear();

    private readonly record struct Grant(ActivationId Activation, long Epoch);
}
