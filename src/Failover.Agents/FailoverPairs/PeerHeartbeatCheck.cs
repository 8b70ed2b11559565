namespace Failover.Agents.FailoverPairs;

/// <summary>Whether a peer heartbeat (request or answer) may count: signed, by the configured key, for this pair.</summary>
internal static class PeerHeartbeatCheck
{
    /// <returns>The reason to reject it, or null.</returns>
    public static string? Problem(PeerHeartbeat heartbeat, FailoverAgentConfig config, string? expectedEcho)
    {
        if (heartbeat.Identity != config.AgentVipIdentity)
        {
            return $"it is for pair '{heartbeat.Identity}'";
        }

        if (heartbeat.AgentId == config.AgentId)
        {
            return $"it comes from another {PairNames.Of(heartbeat.AgentId)} (both sides are configured {PairNames.Of(config.AgentId)})";
        }

        if (expectedEcho is not null && heartbeat.Echo != expectedEcho)
        {
            return "it does not answer the heartbeat just sent";
        }

        if (!heartbeat.HasValidSignature())
        {
            return "its signature is not valid";
        }

        if (config.RemoteServerKey.Length > 0 && !string.Equals(heartbeat.PublicKey, config.RemoteServerKey, StringComparison.Ordinal))
        {
            return $"it is signed by key {Abbreviate(heartbeat.PublicKey)}, not by remote_serverkey {Abbreviate(config.RemoteServerKey)}";
        }

        return null;
    }

    private static string Abbreviate(string key) => key.Length <= 16 ? key : $"…{key[^12..]}";
}
