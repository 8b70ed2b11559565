namespace Failover.Runtime.Messaging;

public enum MessageKind
{
    /// <summary>A grain call: <see cref="Message.Target"/>, <see cref="Message.Method"/>, <see cref="Message.Body"/> = arguments.</summary>
    Request = 1,

    /// <summary>The answer to a request with the same <see cref="Message.Id"/>.</summary>
    Response = 2,

    /// <summary>A membership probe; answered by a Pong with the same id.</summary>
    Ping = 3,

    Pong = 4,
}
