namespace Failover.Host.Tests.Faults;

/// <summary>
/// The fault tests run one after another, never beside each other: membership timings are sub-second, and several
/// clusters of silo processes on a small machine would starve each other into false suspicions.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SiloProcessCollection
{
    public const string Name = "silo processes";
}
