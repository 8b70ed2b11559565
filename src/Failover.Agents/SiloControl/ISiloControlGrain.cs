using Orleans;
using Orleans.Runtime;

namespace Failover.Agents.SiloControl;

/// <summary>Operator control of one node's silo (key: the node name); it always lives on that node's silo.</summary>
[Alias("Failover.ISiloControlGrain")]
public interface ISiloControlGrain : IGrainWithStringKey
{
    /// <summary>Stops the silo; with <paramref name="failOver"/> its director roles fail over as after a crash.</summary>
    Task<string> Stop(bool failOver);
}
