using System.Text.Json;

namespace Failover.Runtime.Messaging;

/// <summary>
/// One frame's payload between silos, or between a client and its gateway. Serialized with System.Text.Json
/// source generation (<see cref="MessagingJsonContext"/>); arguments and results travel as embedded JSON.
/// </summary>
public sealed class Message
{
    public MessageKind Kind { get; set; }

    /// <summary>Correlates a response with its request, per connection direction. Chosen by the sender.</summary>
    public long Id { get; set; }

    /// <summary>Request: the target grain, rendered as <c>type/key</c>.</summary>
    public string? Target { get; set; }

    /// <summary>Request: the method key (interface full name, method name, parameter types).</summary>
    public string? Method { get; set; }

    /// <summary>Request: the silo incarnation the sender meant (<c>host:port@generation</c>); a restarted silo refuses it.</summary>
    public string? TargetSilo { get; set; }

    /// <summary>Request: how many milliseconds the caller still waits; the receiver drops it once expired.</summary>
    public int TimeoutMs { get; set; }

    /// <summary>Request: already re-routed once after a NotOwner answer; is not re-routed again.</summary>
    public bool Forwarded { get; set; }

    /// <summary>Request: the JSON array of arguments. Response: the JSON result.</summary>
    public JsonElement? Body { get; set; }

    public ResponseStatus Status { get; set; }

    public string? ExceptionType { get; set; }

    public string? ExceptionMessage { get; set; }

    /// <summary>NotOwner: the owner's silo address, when the receiver knows it.</summary>
    public string? Redirect { get; set; }

    /// <summary>Ping/Pong: the sender's silo address.</summary>
    public string? Sender { get; set; }
}
