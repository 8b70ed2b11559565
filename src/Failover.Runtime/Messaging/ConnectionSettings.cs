using Microsoft.Extensions.Logging;

namespace Failover.Runtime.Messaging;

/// <summary>What every connection of one transport (a silo's, or one gateway client's) shares.</summary>
/// <param name="Handler">Handles incoming requests; null on client connections, which answer requests with Rejected.</param>
/// <param name="LocalSender">This side's silo address for Pong.Sender; null on clients.</param>
/// <param name="Blocklist">The test fault hook; null where it does not apply.</param>
internal sealed record ConnectionSettings(
    int MaxFrameBytes,
    ILogger Logger,
    IMessageHandler? Handler,
    Func<string?> LocalSender,
    PeerBlocklist? Blocklist);
