namespace Failover.Agents.FailoverPairs;

/// <summary>
/// One failover agent, as configured in VOLTTRON's format: <c>agent_id</c>, <c>simple_behavior</c>, <c>remote_vip</c>,
/// <c>remote_serverkey</c>, <c>agent_vip_identity</c>, <c>heartbeat_period</c>, <c>timeout</c>.
/// </summary>
/// <param name="RemoteHost">Host of the peer's silo (from <c>remote_vip</c> = <c>tcp://host:port</c>).</param>
/// <param name="RemoteServerKey">The peer silo's public key; empty = heartbeats are not authenticated.</param>
public sealed record FailoverAgentConfig(
    string Source,
    PairRole AgentId,
    PairBehavior Behavior,
    string RemoteHost,
    int RemotePort,
    string RemoteServerKey,
    string AgentVipIdentity,
    TimeSpan HeartbeatPeriod,
    TimeSpan Timeout)
{
    public PairTiming Timing => new(HeartbeatPeriod, Timeout);

    public string RemoteVip => $"tcp://{RemoteHost}:{RemotePort}";
}
