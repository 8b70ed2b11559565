namespace Failover.Benchmarks;

/// <summary>
/// Which silo program a <see cref="SiloProcessCluster"/> starts and the settings it gets beyond --node, --port,
/// --gateway-port, --database, --cluster-id and --service-id (which every one of them takes).
/// </summary>
internal sealed record SiloProgram(string Dll, IReadOnlyList<string> Verb, IReadOnlyList<string> ExtraArguments)
{
    /// <summary>This program's <c>silo</c> verb (<see cref="BenchSilo"/>); <paramref name="settings"/> are <c>Section:Key=Value</c>.</summary>
    public static SiloProgram BenchSilo(IReadOnlyList<string> settings) =>
        new(BuildOutput.BenchmarkDll, [Benchmarks.BenchSilo.Verb], [.. settings.SelectMany(s => new[] { "--set", s })]);

    /// <summary>tests/Failover.TestHost; <paramref name="settings"/> are <c>Section:Key=Value</c>, passed as <c>--set</c>.</summary>
    public static SiloProgram TestHost(IReadOnlyList<string> settings) =>
        new(BuildOutput.TestHostDll, [], [.. settings.SelectMany(s => new[] { "--set", s })]);

    /// <summary>The product's silo (silo/), configured by <paramref name="configFile"/> when given.</summary>
    public static SiloProgram Silo(string? configFile) =>
        new(BuildOutput.SiloDll, [], configFile is null ? [] : ["--config", configFile]);
}
