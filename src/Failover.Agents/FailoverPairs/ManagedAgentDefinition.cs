namespace Failover.Agents.FailoverPairs;

/// <summary>
/// One entry of the silo config's <c>ManagedAgents</c> section (identity → definition): a command to run as a process,
/// or a built-in component (<c>noop</c>: runs in the silo and does nothing, for trying a pair out).
/// </summary>
public sealed class ManagedAgentDefinition
{
    public const string SectionName = "ManagedAgents";
    public const string NoopBuiltin = "noop";

    /// <summary>The program to run (a path, or a name found on PATH).</summary>
    public string? Command { get; set; }

    public List<string> Args { get; set; } = [];

    /// <summary>A built-in component instead of a command: <c>noop</c>.</summary>
    public string? Builtin { get; set; }

    /// <summary>The one-line problem with this definition, or null.</summary>
    public string? Problem(string identity)
    {
        var hasCommand = !string.IsNullOrWhiteSpace(Command);
        var hasBuiltin = !string.IsNullOrWhiteSpace(Builtin);
        return (hasCommand, hasBuiltin) switch
        {
            (true, true) => $"ManagedAgents:{identity} has both Command and Builtin (give one)",
            (false, false) => $"ManagedAgents:{identity} needs a Command (or a Builtin)",
            (false, true) when Builtin != NoopBuiltin => $"ManagedAgents:{identity}: unknown Builtin '{Builtin}' (known: {NoopBuiltin})",
            (false, true) when Args.Count > 0 => $"ManagedAgents:{identity}: Args go with a Command, not a Builtin",
            _ => null,
        };
    }
}
