namespace Failover.Runtime.Messaging;

/// <summary>
/// The first frame each side of a connection sends. The accepting silo checks protocol version and cluster id and
/// answers with its own handshake, so the connecting side learns which incarnation (generation) it reached.
/// </summary>
public sealed record Handshake(int ProtocolVersion, string ClusterId, HandshakeRole Role, string? SiloAddress, string? ClientId)
{
    public const int CurrentProtocolVersion = 1;
}

public enum HandshakeRole
{
    Silo = 1,
    Client = 2,
}
