using Failover.Runtime.Configuration;
using Microsoft.AspNetCore.Connections;

namespace Failover.Runtime.Messaging;

/// <summary>The accepting side's part of the handshake.</summary>
internal static class ServerHandshake
{
    /// <summary>
    /// Reads the connecting side's handshake. Throws <see cref="ProtocolViolationException"/> for a bad frame or none
    /// within the handshake timeout.
    /// </summary>
    public static async Task<Handshake> ReadHelloAsync(
        ConnectionContext context, MessagingOptions options, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(options.HandshakeTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            return await Handshakes.ReadAsync(context.Transport.Input, options.MaxFrameBytes, linked.Token);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ProtocolViolationException($"no handshake within {options.HandshakeTimeout.TotalMilliseconds:0} ms", exception);
        }
    }

    /// <summary>Swallows whatever arrives, answering nothing, until the peer gives up or the token fires.</summary>
    public static async Task IgnoreUntilClosedAsync(ConnectionContext context, CancellationToken cancellationToken)
    {
        var input = context.Transport.Input;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(cancellationToken);
                input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
