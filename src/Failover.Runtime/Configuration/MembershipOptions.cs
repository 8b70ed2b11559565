using System.ComponentModel.DataAnnotations;

namespace Failover.Runtime.Configuration;

/// <summary>Lease, detection and cleanup settings; configuration section <c>Membership</c>.</summary>
public sealed class MembershipOptions : IValidatableObject
{
    public const string SectionName = "Membership";

    /// <summary>How often the silo renews IAmAliveTime (its lease) on the database clock.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan IAmAlivePeriod { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>A silo that has not renewed for this long stops acting until it renews.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan LeaseTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Others may declare a silo Dead when its IAmAliveTime is older than this (database clock).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan DeathTimeout { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>How often each Active silo reads the table and probes every other Active silo.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan ProbePeriod { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long one probe may take before it counts as missed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Missed probes in a row after which a silo suspects the target (a refused connection suspects at once).</summary>
    [Range(1, 100)]
    public int NumMissedProbesLimit { get; set; } = 3;

    /// <summary>Fresh suspicion votes that declare a silo Dead, capped at half the Active silos (Orleans' rule).</summary>
    [Range(1, 100)]
    public int NumVotesForDeath { get; set; } = 2;

    /// <summary>A suspicion vote counts only while it is younger than this (database clock).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan DeathVoteExpiration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Rows that are not Active and have not renewed for this long are deleted. Active rows never are.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00")]
    public TimeSpan DefunctRowAge { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How many compare-and-swap rounds a status change may take before the silo gives up.</summary>
    [Range(1, 1000)]
    public int MaxStatusWriteAttempts { get; set; } = 50;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DeathTimeout <= LeaseTimeout)
        {
            yield return new ValidationResult(
                $"Membership:DeathTimeout ({DeathTimeout.TotalMilliseconds:0} ms) must be greater than Membership:LeaseTimeout ({LeaseTimeout.TotalMilliseconds:0} ms): a silo must stop acting before others may declare it dead.",
                [nameof(DeathTimeout)]);
        }

        if (IAmAlivePeriod >= LeaseTimeout)
        {
            yield return new ValidationResult(
                $"Membership:IAmAlivePeriod ({IAmAlivePeriod.TotalMilliseconds:0} ms) must be shorter than Membership:LeaseTimeout ({LeaseTimeout.TotalMilliseconds:0} ms).",
                [nameof(IAmAlivePeriod)]);
        }

        if (ProbeTimeout > DeathTimeout)
        {
            yield return new ValidationResult(
                $"Membership:ProbeTimeout ({ProbeTimeout.TotalMilliseconds:0} ms) must not be longer than Membership:DeathTimeout ({DeathTimeout.TotalMilliseconds:0} ms).",
                [nameof(ProbeTimeout)]);
        }

        if (DeathVoteExpiration <= ProbePeriod)
        {
            yield return new ValidationResult(
                $"Membership:DeathVoteExpiration ({DeathVoteExpiration.TotalMilliseconds:0} ms) must be longer than Membership:ProbePeriod ({ProbePeriod.TotalMilliseconds:0} ms): votes must outlive a probe round to add up.",
                [nameof(DeathVoteExpiration)]);
        }
    }
}
