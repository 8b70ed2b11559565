using System.Text;

namespace Failover.Agents.Subagents;

/// <summary>
/// The last bytes (as many as its capacity) written to it (a ring buffer, thread-safe, so stdout and stderr interleave by
/// write), decoded as UTF-8 without a broken character at the cut.
/// </summary>
internal sealed class OutputTail
{
    private readonly byte[] _ring;
    private readonly Lock _lock = new();
    private long _written;

    public OutputTail(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _ring = new byte[capacity];
    }

    /// <summary>Whether bytes were dropped from the front.</summary>
    public bool Truncated
    {
        get
        {
            lock (_lock)
            {
                return _written > _ring.Length;
            }
        }
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        lock (_lock)
        {
            _written += bytes.Length;
            if (bytes.Length >= _ring.Length)
            {
                bytes = bytes[^_ring.Length..];
            }

            var start = (int)((_written - bytes.Length) % _ring.Length);
            var first = Math.Min(bytes.Length, _ring.Length - start);
            bytes[..first].CopyTo(_ring.AsSpan(start));
            bytes[first..].CopyTo(_ring);
        }
    }

    public void Append(string text) => Append(Encoding.UTF8.GetBytes(text));

    public override string ToString()
    {
        byte[] bytes;
        bool truncated;
        lock (_lock)
        {
            truncated = _written > _ring.Length;
            var length = (int)Math.Min(_written, _ring.Length);
            bytes = new byte[length];
            var start = (int)((_written - length) % _ring.Length);
            var first = Math.Min(length, _ring.Length - start);
            _ring.AsSpan(start, first).CopyTo(bytes);
            _ring.AsSpan(0, length - first).CopyTo(bytes.AsSpan(first));
        }

        var skip = 0;
        if (truncated)
        {
            // A cut inside a character leaves up to 3 continuation bytes (10xxxxxx) in front: drop them.
            while (skip < Math.Min(3, bytes.Length) && (bytes[skip] & 0xC0) == 0x80)
            {
                skip++;
            }
        }

        return Encoding.UTF8.GetString(bytes, skip, bytes.Length - skip);
    }
}
