namespace Failover.Benchmarks;

/// <summary>Membership settings the kill -9 benchmark runs its silo processes with (<c>--set Section:Key=Value</c>).</summary>
internal sealed record FailoverConfiguration(string Name, IReadOnlyList<string> SiloSettings, double? P99TargetMs)
{
    public static readonly FailoverConfiguration Defaults = new("defaults", [], 2_000);

    public static readonly FailoverConfiguration Tuned = new(
        "tuned",
        [
            "Membership:IAmAlivePeriod=00:00:00.100",
            "Membership:LeaseTimeout=00:00:00.400",
            "Membership:DeathTimeout=00:00:00.600",
            "Membership:ProbePeriod=00:00:00.100",
            "Membership:ProbeTimeout=00:00:00.200",
        ],
        null);

    public static IReadOnlyList<FailoverConfiguration> All { get; } = [Defaults, Tuned];

    public override string ToString() => SiloSettings.Count == 0 ? Name : $"{Name} ({string.Join(", ", SiloSettings)})";
}
