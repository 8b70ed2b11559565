namespace Failover.Runtime.Grains;

/// <summary>A remote grain threw an exception whose type this process cannot rebuild; type name and message are kept.</summary>
public sealed class GrainCallException : Exception
{
    public GrainCallException(string remoteType, string message) : base(message)
    {
        RemoteType = remoteType;
    }

    public GrainCallException(string message) : base(message)
    {
        RemoteType = "";
    }

    public GrainCallException(string message, Exception innerException) : base(message, innerException)
    {
        RemoteType = "";
    }

    public GrainCallException()
    {
        RemoteType = "";
    }

    /// <summary>The exception's type as the remote side named it.</summary>
    public string RemoteType { get; }
}
