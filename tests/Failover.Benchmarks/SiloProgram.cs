namespace Failover.Benchmarks;

/// <summary>
/// Which silo program a <see cref="SiloProcessCluster"/> starts and the settings it gets beyond --node, --port,
/// --database and --cluster-id (which both programs take).
/// </summary>
internal sealed record SiloProgram(string Dll, IReadOnlyList<string> ExtraArguments)
{
    /// <summary>tests/Failover.TestHost; <paramref name="settings"/> are <c>Section:Key=Value</c>, passed as <c>--set</c>.</summary>
    public static SiloProgram TestHost(IReadOnlyList<string> settings) =>
        new(BuildOutput.TestHostDll, [.. settings.SelectMany(s => new[] { "--set", s })]);

    /// <summary>The product's silo (silo/), configured by <paramref name="configFile"/> when given.</summary>
    public static SiloProgram Silo(string? configFile, string serviceId) =>
        new(BuildOutput.SiloDll, ["--service-id", serviceId, .. configFile is null ? Array.Empty<string>() : ["--config", configFile]]);
}
