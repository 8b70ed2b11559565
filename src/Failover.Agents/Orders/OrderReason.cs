using System.Text.Json.Serialization;

namespace Failover.Agents.Orders;

/// <summary>Why an order ended other than Finished. Written by name in JSON.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OrderReason>))]
public enum OrderReason
{
    /// <summary>The subagent running it was lost (heartbeat timeout, its silo Dead, its director node failed over).</summary>
    ProcessLost,

    /// <summary>The process exited with a code other than 0 (kept in <see cref="OrderRecord.ExitCode"/>).</summary>
    NonZeroExit,

    /// <summary>The run took longer than the job's timeout and was killed.</summary>
    Timeout,

    /// <summary>A user cancelled the order.</summary>
    Cancelled,

    /// <summary>The job does not exist (refused at submission, or removed from the topology while the order waited).</summary>
    NoSuchJob,

    /// <summary>The subagent could not start the process (e.g. the command does not exist).</summary>
    StartFailed,
}
