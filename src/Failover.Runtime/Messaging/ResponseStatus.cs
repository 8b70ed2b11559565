namespace Failover.Runtime.Messaging;

public enum ResponseStatus
{
    /// <summary>The call completed; <see cref="Message.Body"/> holds the result (absent for void methods).</summary>
    Ok = 0,

    /// <summary>The grain threw; <see cref="Message.ExceptionType"/> and <see cref="Message.ExceptionMessage"/> say what.</summary>
    Exception = 1,

    /// <summary>The receiving silo does not own the grain; <see cref="Message.Redirect"/> names the owner when known.</summary>
    NotOwner = 2,

    /// <summary>The receiving silo is stopping, or is not the incarnation the sender addressed.</summary>
    SiloUnavailable = 3,

    /// <summary>The request was malformed or named an unknown method.</summary>
    Rejected = 4,
}
