using System.Diagnostics.CodeAnalysis;

namespace Failover.Agents.Topology;

/// <summary>Names of <see cref="DirectorInstance"/> as the CLI and the topology file write them.</summary>
public static class DirectorInstances
{
    public const string PrimaryName = "primary";
    public const string SecondaryName = "secondary";

    /// <summary><c>primary</c> or <c>secondary</c>.</summary>
    public static string ToName(this DirectorInstance instance) => instance switch
    {
        DirectorInstance.Primary => PrimaryName,
        DirectorInstance.Secondary => SecondaryName,
        _ => throw new ArgumentOutOfRangeException(nameof(instance), instance, "Not a director instance."),
    };

    /// <summary>The other instance of the pair.</summary>
    public static DirectorInstance Other(this DirectorInstance instance) => instance switch
    {
        DirectorInstance.Primary => DirectorInstance.Secondary,
        DirectorInstance.Secondary => DirectorInstance.Primary,
        _ => throw new ArgumentOutOfRangeException(nameof(instance), instance, "Not a director instance."),
    };

    /// <summary>Parses <c>primary</c> or <c>secondary</c>, ignoring case; nothing else (no numbers).</summary>
    public static bool TryParse([NotNullWhen(true)] string? name, out DirectorInstance instance)
    {
        if (string.Equals(name, PrimaryName, StringComparison.OrdinalIgnoreCase))
        {
            instance = DirectorInstance.Primary;
            return true;
        }

        if (string.Equals(name, SecondaryName, StringComparison.OrdinalIgnoreCase))
        {
            instance = DirectorInstance.Secondary;
            return true;
        }

        instance = default;
        return false;
    }

    /// <inheritdoc cref="TryParse"/>
    /// <exception cref="FormatException">The name is neither.</exception>
    public static DirectorInstance Parse(string name) =>
        TryParse(name, out var instance)
            ? instance
            : throw new FormatException($"'{name}' is not a director instance (use {PrimaryName} or {SecondaryName})");
}
