using System.ComponentModel.DataAnnotations;

namespace Failover.Agents.Hosting;

/// <summary>The silo's <c>Agents</c> configuration section.</summary>
public sealed class AgentOptions : IValidatableObject
{
    public const string SectionName = "Agents";

    /// <summary>How often the silo asks for a newer topology; changed settings take effect within this time.</summary>
    public TimeSpan TopologyRefresh { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A subagent kills its running jobs once none of its dispatchers has had an active director for this long (JS7's
    /// self-fencing); null = never.
    /// </summary>
    public TimeSpan? SubagentSelfFencing { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (TopologyRefresh <= TimeSpan.Zero || TopologyRefresh > TimeSpan.FromMinutes(10))
        {
            yield return new ValidationResult($"Agents:TopologyRefresh must be above zero and at most 10 minutes, not {TopologyRefresh}.", [nameof(TopologyRefresh)]);
        }

        if (SubagentSelfFencing is { } fencing && (fencing <= TimeSpan.Zero || fencing > TimeSpan.FromDays(1)))
        {
            yield return new ValidationResult($"Agents:SubagentSelfFencing must be above zero and at most a day, not {fencing}.", [nameof(SubagentSelfFencing)]);
        }
    }
}
