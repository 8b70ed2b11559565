using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Failover.Runtime.Messaging;

/// <summary>
/// A reusable buffer that one writer serializes frames into before the length prefix is known. Not thread-safe:
/// each connection's writer loop owns one.
/// </summary>
internal sealed class FrameScratch : IDisposable
{
    // After an unusually large frame the buffer is dropped instead of being kept for the connection's lifetime.
    private const int RetainedCapacity = 256 * 1024;

    private ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _writer = new(Stream.Null);

    public ReadOnlySpan<byte> Serialize<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        if (_buffer.Capacity > RetainedCapacity)
        {
            _buffer = new ArrayBufferWriter<byte>(4096);
        }

        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        JsonSerializer.Serialize(_writer, value, typeInfo);
        _writer.Flush();
        return _buffer.WrittenSpan;
    }

    public void Dispose() => _writer.Dispose();
}
