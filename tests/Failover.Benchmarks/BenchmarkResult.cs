namespace Failover.Benchmarks;

/// <summary>One measured figure. <see cref="Target"/> is the goal, when it has one.</summary>
public sealed record BenchmarkResult(string Scenario, string Metric, double Value, string Unit, string? Target = null, bool? Met = null);
