using System.ComponentModel.DataAnnotations;

namespace Failover.Hosting.Gateway;

/// <summary>
/// Limits on one client's connection to this silo's gateway (configuration section <c>GatewayConnections</c>), so that a
/// client that sends requests and never reads the responses cannot make the silo hold them without bound.
/// </summary>
public sealed class GatewayConnectionOptions : IValidatableObject
{
    public const string SectionName = "GatewayConnections";

    /// <summary>
    /// How many bytes of responses may wait unsent on one connection. Past it Orleans' writer waits for the client to read,
    /// and the client's further requests wait unread.
    /// </summary>
    public int WriteBufferBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// How long the responses may wait, the client reading too little to make room for more, before its connection is closed.
    /// A healthy client reads within milliseconds; a long pause of its process (a debugger, a full garbage collection) is
    /// what this must outlast.
    /// </summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (WriteBufferBytes < 4 * 1024 || WriteBufferBytes > 64 * 1024 * 1024)
        {
            yield return new ValidationResult(
                $"{SectionName}:WriteBufferBytes must be between 4096 and 67108864 (got {WriteBufferBytes})", [nameof(WriteBufferBytes)]);
        }

        if (StallTimeout < TimeSpan.FromSeconds(1) || StallTimeout > TimeSpan.FromMinutes(10))
        {
            yield return new ValidationResult(
                $"{SectionName}:StallTimeout must be between 1 s and 10 min (got {StallTimeout})", [nameof(StallTimeout)]);
        }
    }
}
