using Microsoft.Extensions.Logging;

namespace Failover.Runtime.Messaging;

internal static partial class MessagingLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for silos and clients on {EndPoint}")]
    public static partial void Listening(ILogger logger, System.Net.EndPoint endPoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Accepting connections on {EndPoint} failed")]
    public static partial void AcceptFailed(ILogger logger, System.Net.EndPoint endPoint, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected connection from {RemoteEndPoint}: {Reason}")]
    public static partial void HandshakeRejected(ILogger logger, string remoteEndPoint, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection from {RemoteEndPoint} ended before its handshake completed: {Reason}")]
    public static partial void HandshakeAbandoned(ILogger logger, string remoteEndPoint, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection with {Peer} ({RemoteEndPoint}) established")]
    public static partial void ConnectionEstablished(ILogger logger, string peer, string remoteEndPoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing connection with {Peer} ({RemoteEndPoint}): protocol violation: {Reason}")]
    public static partial void ProtocolViolation(ILogger logger, string peer, string remoteEndPoint, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection with {Peer} ({RemoteEndPoint}) closed: {Reason}")]
    public static partial void ConnectionClosed(ILogger logger, string peer, string remoteEndPoint, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Did not send {Kind} {MessageId} to {Peer}: {Bytes} bytes exceed Messaging:MaxFrameBytes ({MaxFrameBytes})")]
    public static partial void FrameTooLarge(ILogger logger, MessageKind kind, long messageId, string peer, int bytes, int maxFrameBytes);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignoring connection from blocked silo {SiloAddress} ({RemoteEndPoint})")]
    public static partial void IgnoringBlockedPeer(ILogger logger, Membership.SiloAddress siloAddress, string remoteEndPoint);
}
