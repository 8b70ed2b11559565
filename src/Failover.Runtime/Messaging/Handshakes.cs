using System.IO.Pipelines;
using Failover.Runtime.Membership;
using Microsoft.AspNetCore.Connections;

namespace Failover.Runtime.Messaging;

/// <summary>The first frame each way: reading, writing and checking <see cref="Handshake"/>s.</summary>
internal static class Handshakes
{
    public static Handshake ForSilo(string clusterId, SiloAddress silo) =>
        new(Handshake.CurrentProtocolVersion, clusterId, HandshakeRole.Silo, silo.ToString(), ClientId: null);

    public static Handshake ForClient(string clusterId, string clientId) =>
        new(Handshake.CurrentProtocolVersion, clusterId, HandshakeRole.Client, SiloAddress: null, clientId);

    public static async Task WriteAsync(PipeWriter output, Handshake handshake, int maxFrameBytes, CancellationToken cancellationToken)
    {
        using var scratch = new FrameScratch();
        if (!FrameCodec.TryWriteFrame(output, handshake, MessagingJsonContext.Default.Handshake, scratch, maxFrameBytes, out var bytes))
        {
            throw new InvalidOperationException($"The handshake is {bytes} bytes, more than Messaging:MaxFrameBytes ({maxFrameBytes}).");
        }

        await output.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// Reads the peer's handshake frame. Leaves whatever follows it in the pipe for the connection's read loop.
    /// Throws <see cref="ProtocolViolationException"/> for a bad frame and <see cref="ConnectionAbortedException"/>
    /// when the peer closes first.
    /// </summary>
    public static async Task<Handshake> ReadAsync(PipeReader input, int maxFrameBytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (FrameCodec.TryReadFrame(ref buffer, maxFrameBytes, out var payload))
            {
                var handshake = FrameCodec.DeserializeHandshake(payload);
                input.AdvanceTo(buffer.Start);
                return handshake;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                throw new ConnectionAbortedException("the peer closed the connection during the handshake");
            }
        }
    }

    /// <summary>Checks what the accepting side received. Throws <see cref="ProtocolViolationException"/>.</summary>
    /// <returns>The connecting silo's address, or null for a client.</returns>
    public static SiloAddress? ValidateHello(Handshake hello, string clusterId)
    {
        ValidateCommon(hello, clusterId);
        switch (hello.Role)
        {
            case HandshakeRole.Silo:
                return ParseSilo(hello);
            case HandshakeRole.Client when !string.IsNullOrWhiteSpace(hello.ClientId):
                return null;
            case HandshakeRole.Client:
                throw new ProtocolViolationException("client handshake without a client id");
            default:
                throw new ProtocolViolationException($"unknown handshake role {(int)hello.Role}");
        }
    }

    /// <summary>Checks the accepting silo's answer. Throws <see cref="ProtocolViolationException"/>.</summary>
    /// <returns>The address of the silo incarnation that answered.</returns>
    public static SiloAddress ValidateReply(Handshake reply, string clusterId)
    {
        ValidateCommon(reply, clusterId);
        return reply.Role == HandshakeRole.Silo
            ? ParseSilo(reply)
            : throw new ProtocolViolationException($"the answering side is not a silo (role {reply.Role})");
    }

    private static void ValidateCommon(Handshake handshake, string clusterId)
    {
        if (handshake.ProtocolVersion != Handshake.CurrentProtocolVersion)
        {
            throw new ProtocolViolationException(
                $"protocol version {handshake.ProtocolVersion} is not supported (this side speaks {Handshake.CurrentProtocolVersion})");
        }

        if (!string.Equals(handshake.ClusterId, clusterId, StringComparison.Ordinal))
        {
            throw new ProtocolViolationException($"cluster id '{handshake.ClusterId}' is not this cluster's ('{clusterId}')");
        }
    }

    private static SiloAddress ParseSilo(Handshake handshake) =>
        handshake.SiloAddress is { } text && SiloAddress.TryParse(text, out var address)
            ? address
            : throw new ProtocolViolationException($"silo handshake with an invalid silo address '{handshake.SiloAddress}'");
}
