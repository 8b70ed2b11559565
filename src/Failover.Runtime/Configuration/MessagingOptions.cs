using System.ComponentModel.DataAnnotations;

namespace Failover.Runtime.Configuration;

/// <summary>Silo↔silo and client↔gateway transport settings; configuration section <c>Messaging</c>.</summary>
public sealed class MessagingOptions
{
    public const string SectionName = "Messaging";

    public const int DefaultMaxFrameBytes = 4 * 1024 * 1024;

    /// <summary>The largest frame payload accepted or sent. A peer announcing more is cut off as a protocol violation.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxFrameBytes { get; set; } = DefaultMaxFrameBytes;

    /// <summary>How long opening a TCP connection may take before the peer counts as unreachable.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long either side waits for the other's handshake on a new connection.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How many connections a silo opens to each other silo; calls are spread over them.</summary>
    [Range(1, 8)]
    public int ConnectionsPerSilo { get; set; } = 1;
}
