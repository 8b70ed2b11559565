namespace Failover.Agents.FailoverPairs;

/// <summary>A failover agent config file (or the silo's ManagedAgents/FailoverAgents sections) is wrong; the message is one line.</summary>
public sealed class FailoverAgentConfigException : FormatException
{
    public FailoverAgentConfigException(string message) : base(message)
    {
    }

    public FailoverAgentConfigException()
    {
    }

    public FailoverAgentConfigException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
