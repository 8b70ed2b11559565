using Failover.Runtime.Configuration;
using Failover.Runtime.Membership;
using Microsoft.AspNetCore.Connections;

namespace Failover.Runtime.Messaging;

/// <summary>The connecting side's handshake, for silos dialling silos and clients dialling gateways.</summary>
internal static class ClientHandshake
{
    /// <summary>
    /// Sends <paramref name="hello"/> and waits for the accepting silo's handshake.
    /// Throws <see cref="ConnectException"/>, or OperationCanceledException when <paramref name="cancellationToken"/> fires.
    /// </summary>
    /// <returns>The incarnation that answered.</returns>
    public static async Task<SiloAddress> RunAsync(
        ConnectionContext context,
        Handshake hello,
        string clusterId,
        MessagingOptions options,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(options.HandshakeTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            await Handshakes.WriteAsync(context.Transport.Output, hello, options.MaxFrameBytes, linked.Token);
            var reply = await Handshakes.ReadAsync(context.Transport.Input, options.MaxFrameBytes, linked.Token);
            return Handshakes.ValidateReply(reply, clusterId);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ConnectException(
                $"no handshake answer within {options.HandshakeTimeout.TotalMilliseconds:0} ms", definite: false, exception);
        }
        catch (ProtocolViolationException exception)
        {
            throw new ConnectException($"bad handshake answer: {exception.Message}", definite: false, exception);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            throw new ConnectException($"the handshake failed: {exception.Message}", definite: false, exception);
        }
    }
}
