using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Failover.Runtime.Messaging;

/// <summary>
/// The wire format: a 4-byte big-endian payload length, then that many bytes of UTF-8 JSON (a <see cref="Handshake"/>
/// as the first frame each way, <see cref="Message"/>s after it).
/// </summary>
internal static class FrameCodec
{
    public const int HeaderBytes = 4;

    /// <summary>
    /// Takes one complete frame off the front of <paramref name="buffer"/>. Returns false (buffer untouched) when the
    /// frame is not complete yet. Throws <see cref="ProtocolViolationException"/> as soon as the header is bad.
    /// </summary>
    public static bool TryReadFrame(ref ReadOnlySequence<byte> buffer, int maxFrameBytes, out ReadOnlySequence<byte> payload)
    {
        payload = default;
        if (buffer.Length < HeaderBytes)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[HeaderBytes];
        buffer.Slice(0, HeaderBytes).CopyTo(header);
        var length = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (length == 0)
        {
            throw new ProtocolViolationException("frame length 0");
        }

        if (length > (uint)maxFrameBytes)
        {
            throw new ProtocolViolationException($"frame length {length} exceeds the maximum of {maxFrameBytes} bytes");
        }

        if (buffer.Length - HeaderBytes < length)
        {
            return false;
        }

        payload = buffer.Slice(HeaderBytes, length);
        buffer = buffer.Slice(payload.End);
        return true;
    }

    public static Message DeserializeMessage(in ReadOnlySequence<byte> payload)
    {
        var message = Deserialize(payload, MessagingJsonContext.Default.Message, "message");
        if (message.Kind is < MessageKind.Request or > MessageKind.Pong)
        {
            throw new ProtocolViolationException($"unknown message kind {(int)message.Kind}");
        }

        return message;
    }

    public static Handshake DeserializeHandshake(in ReadOnlySequence<byte> payload) =>
        Deserialize(payload, MessagingJsonContext.Default.Handshake, "handshake");

    /// <summary>
    /// Writes a whole frame; <paramref name="scratch"/> holds the JSON while its length is not known yet. Writes nothing
    /// and returns false when the payload would exceed <paramref name="maxFrameBytes"/>.
    /// </summary>
    public static bool TryWriteFrame<T>(
        IBufferWriter<byte> output, T value, JsonTypeInfo<T> typeInfo, FrameScratch scratch, int maxFrameBytes, out int payloadBytes)
    {
        var json = scratch.Serialize(value, typeInfo);
        payloadBytes = json.Length;
        if (json.Length > maxFrameBytes)
        {
            return false;
        }

        var header = output.GetSpan(HeaderBytes);
        BinaryPrimitives.WriteInt32BigEndian(header, json.Length);
        output.Advance(HeaderBytes);
        output.Write(json);
        return true;
    }

    private static T Deserialize<T>(in ReadOnlySequence<byte> payload, JsonTypeInfo<T> typeInfo, string what)
        where T : class
    {
        T? value;
        try
        {
            if (payload.IsSingleSegment)
            {
                value = JsonSerializer.Deserialize(payload.FirstSpan, typeInfo);
            }
            else
            {
                // The span overload also rejects trailing bytes after the JSON value, which the reader overload does not.
                var length = (int)payload.Length;
                var rented = ArrayPool<byte>.Shared.Rent(length);
                try
                {
                    payload.CopyTo(rented);
                    value = JsonSerializer.Deserialize(rented.AsSpan(0, length), typeInfo);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }
            }
        }
        catch (JsonException exception)
        {
            throw new ProtocolViolationException($"malformed {what} JSON: {exception.Message}", exception);
        }

        return value ?? throw new ProtocolViolationException($"empty {what}");
    }
}
