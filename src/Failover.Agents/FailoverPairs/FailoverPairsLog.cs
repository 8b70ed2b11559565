using Microsoft.Extensions.Logging;

namespace Failover.Agents.FailoverPairs;

internal static partial class FailoverPairsLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Failover agent {Identity} ({AgentId}, {Behavior}) starts: peer {RemoteVip}, heartbeat {HeartbeatPeriod}, timeout {Timeout}, peer key {KeyState}")]
    public static partial void Starting(ILogger logger, string identity, string agentId, string behavior, string remoteVip, TimeSpan heartbeatPeriod, TimeSpan timeout, string keyState);

    [LoggerMessage(Level = LogLevel.Information, Message = "Failover agent {Identity} ({AgentId}) decides {Decision} (was {Previous}): {Reason}")]
    public static partial void DecisionChanged(ILogger logger, string identity, string agentId, string decision, string previous, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Managed agent {Identity} started on this node (pid {ProcessId})")]
    public static partial void AgentStarted(ILogger logger, string identity, int? processId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Managed agent {Identity} exited on this node (pid {ProcessId})")]
    public static partial void AgentExited(ILogger logger, string identity, int? processId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Managed agent {Identity} could not be started: {Reason}")]
    public static partial void AgentStartFailed(ILogger logger, string identity, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a heartbeat for {Identity} from {From}: {Reason}")]
    public static partial void HeartbeatRejected(ILogger logger, string identity, string from, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Peer {RemoteVip} of {Identity} is not answering heartbeats: {Reason}")]
    public static partial void PeerUnreachable(ILogger logger, string identity, string remoteVip, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Peer {RemoteVip} of {Identity} answers heartbeats again")]
    public static partial void PeerReachable(ILogger logger, string identity, string remoteVip);

    [LoggerMessage(Level = LogLevel.Information, Message = "Witness of {Identity} is not answering: {Reason}")]
    public static partial void WitnessUnreachable(ILogger logger, string identity, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record event of {Identity}: {Reason}")]
    public static partial void EventNotRecorded(ILogger logger, string identity, string reason);
}
