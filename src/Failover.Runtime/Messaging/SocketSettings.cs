using Failover.Runtime.Configuration;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Failover.Runtime.Messaging;

/// <summary>Kestrel socket settings for both directions.</summary>
internal static class SocketSettings
{
    private const int ReadSlackBytes = 64 * 1024;

    public static SocketTransportFactory CreateListenerFactory(MessagingOptions options, ILoggerFactory loggerFactory) =>
        new(Options.Create(new SocketTransportOptions { NoDelay = true, MaxReadBufferSize = MaxReadBufferSize(options) }), loggerFactory);

    public static SocketConnectionContextFactory CreateConnectionFactory(MessagingOptions options, ILogger logger) =>
        new(new SocketConnectionFactoryOptions { MaxReadBufferSize = MaxReadBufferSize(options) }, logger);

    // The read loop only consumes whole frames, so the transport must be allowed to buffer at least one maximal frame
    // or it would stop reading (back-pressure) before the frame is complete and never resume.
    private static long MaxReadBufferSize(MessagingOptions options) => (long)options.MaxFrameBytes + FrameCodec.HeaderBytes + ReadSlackBytes;
}
