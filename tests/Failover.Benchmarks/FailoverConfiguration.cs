namespace Failover.Benchmarks;

/// <summary>
/// Membership settings the kill -9 benchmark runs its silo processes with (<c>--set Section:Key=Value</c>, Orleans'
/// option names under <c>Membership</c>); none means the product's defaults.
/// </summary>
internal sealed record FailoverConfiguration(string Name, IReadOnlyList<string> SiloSettings, double? P99TargetMs)
{
    /// <summary>The product's membership defaults: the issue's target applies.</summary>
    public static readonly FailoverConfiguration Defaults = new("defaults", [], 1_500);

    public static IReadOnlyList<FailoverConfiguration> All { get; } = [Defaults];

    public override string ToString() => SiloSettings.Count == 0 ? Name : $"{Name} ({string.Join(", ", SiloSettings)})";
}
