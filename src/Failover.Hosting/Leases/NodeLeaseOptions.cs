using System.ComponentModel.DataAnnotations;

namespace Failover.Hosting.Leases;

/// <summary>The node lease (configuration section <c>Lease</c>): renewed on the database clock, lapsed on this silo's own clock.</summary>
public sealed class NodeLeaseOptions : IValidatableObject
{
    public const string SectionName = "Lease";

    /// <summary>How often the silo renews its lease (its membership row's IAmAliveTime, set to the database clock).</summary>
    public TimeSpan RenewPeriod { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>A silo that has not renewed for this long (its monotonic clock, from when it sent the renewal) stops acting.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RenewPeriod < TimeSpan.FromMilliseconds(10) || RenewPeriod > TimeSpan.FromMinutes(1))
        {
            yield return new ValidationResult($"Lease:RenewPeriod must be between 10 ms and 1 minute (got {RenewPeriod.TotalMilliseconds:0} ms)", [nameof(RenewPeriod)]);
        }

        if (Timeout <= RenewPeriod)
        {
            yield return new ValidationResult(
                $"Lease:Timeout ({Timeout.TotalMilliseconds:0} ms) must be longer than Lease:RenewPeriod ({RenewPeriod.TotalMilliseconds:0} ms)", [nameof(Timeout)]);
        }
    }
}
