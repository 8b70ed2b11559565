namespace Failover.Runtime.Messaging;

/// <summary>What the transport hands incoming requests to (the silo's router). Called concurrently.</summary>
public interface IMessageHandler
{
    /// <summary>Handles one request and returns its response (Kind = Response; the transport sets the Id).</summary>
    ValueTask<Message> HandleRequestAsync(Message request, RemotePeer from, CancellationToken cancellationToken);
}

/// <summary>Who sent a message: a silo (with its address) or a client, as established by the handshake.</summary>
public sealed record RemotePeer(HandshakeRole Role, string? SiloAddress, string? ClientId, string RemoteEndPoint);
