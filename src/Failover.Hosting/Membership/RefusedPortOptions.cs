using System.ComponentModel.DataAnnotations;

namespace Failover.Hosting.Membership;

/// <summary>
/// Declaring Dead, at once, a silo whose port refuses connections (configuration section <c>RefusedPorts</c>). A refused
/// connection means no process listens there any more: Orleans' probes would reach the same verdict, but only after
/// <c>NumMissedProbesLimit</c> probe periods and the votes of other silos.
/// </summary>
public sealed class RefusedPortOptions : IValidatableObject
{
    public const string SectionName = "RefusedPorts";

    /// <summary>Whether a silo whose port refused two connections in a row is declared Dead by this silo alone.</summary>
    public bool DeclareDead { get; set; } = true;

    /// <summary>The wait between the two connection attempts that must both be refused.</summary>
    public TimeSpan ConfirmDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long one connection attempt may take; one that times out proves nothing (a partition, not a closed port).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ConfirmDelay < TimeSpan.FromMilliseconds(10) || ConfirmDelay > TimeSpan.FromSeconds(10))
        {
            yield return new ValidationResult(
                $"{SectionName}:ConfirmDelay must be between 10 ms and 10 s (got {ConfirmDelay.TotalMilliseconds:0} ms)", [nameof(ConfirmDelay)]);
        }

        if (ConnectTimeout < TimeSpan.FromMilliseconds(10) || ConnectTimeout > TimeSpan.FromSeconds(30))
        {
            yield return new ValidationResult(
                $"{SectionName}:ConnectTimeout must be between 10 ms and 30 s (got {ConnectTimeout.TotalMilliseconds:0} ms)", [nameof(ConnectTimeout)]);
        }
    }
}
