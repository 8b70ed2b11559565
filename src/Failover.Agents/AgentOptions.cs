using System.ComponentModel.DataAnnotations;

namespace Failover.Agents;

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

    /// <summary>
    /// How long a switch-over waits for the job dispatchers to say whether a job runs on the active director's node;
    /// without their answer it is refused. Below the client's response timeout, so the refusal reaches the user.
    /// </summary>
    public TimeSpan SwitchOverCheckTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>The longest <see cref="SwitchOverCheckTimeout"/>: the client gives up on an answer after 10 s.</summary>
    public static readonly TimeSpan MaxSwitchOverCheckTimeout = TimeSpan.FromSeconds(8);

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

        if (SwitchOverCheckTimeout <= TimeSpan.Zero || SwitchOverCheckTimeout > MaxSwitchOverCheckTimeout)
        {
            yield return new ValidationResult(
                $"Agents:SwitchOverCheckTimeout must be above zero and at most {MaxSwitchOverCheckTimeout.TotalSeconds:0} seconds (the client waits 10 s for an answer), not {SwitchOverCheckTimeout}.",
                [nameof(SwitchOverCheckTimeout)]);
        }
    }
}
