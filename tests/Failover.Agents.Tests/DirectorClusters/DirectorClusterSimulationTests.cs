using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Failover.Agents.Tests.DirectorClusters.Simulation;
using Xunit.Abstractions;

namespace Failover.Agents.Tests.DirectorClusters;

/// <summary>
/// Seeded simulation of a director agent cluster (see <see cref="DirectorClusterSimulation"/>).
/// <c>FAILOVER_SIM_SEEDS=N</c> runs N seeds (default 10,000); <c>FAILOVER_SIM_SEED=S</c> replays seed S alone.
/// </summary>
public sealed class DirectorClusterSimulationTests(ITestOutputHelper output)
{
    private const int DefaultSeeds = 10_000;

    [Fact]
    public void No_two_directors_ever_act_as_active_at_once()
    {
        if (Environment.GetEnvironmentVariable("FAILOVER_SIM_SEED") is { Length: > 0 } replay)
        {
            var kinds = DirectorClusterSimulation.Run(int.Parse(replay, CultureInfo.InvariantCulture));
            output.WriteLine($"seed {replay} passed; events: {string.Join(", ", kinds.Order(StringComparer.Ordinal))}");
            return;
        }

        var seeds = Environment.GetEnvironmentVariable("FAILOVER_SIM_SEEDS") is { Length: > 0 } n
            ? int.Parse(n, CultureInfo.InvariantCulture)
            : DefaultSeeds;
        var failures = new ConcurrentBag<SimulationFailure>();
        var coverage = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        Parallel.For(0, seeds, seed =>
        {
            try
            {
                foreach (var kind in DirectorClusterSimulation.Run(seed))
                {
                    coverage.AddOrUpdate(kind, 1, (_, count) => count + 1);
                }
            }
            catch (SimulationFailure failure)
            {
                failures.Add(failure);
            }
        });
        output.WriteLine($"{seeds} seeds in {clock.Elapsed.TotalSeconds:0.0} s; seeds per event kind: "
            + string.Join(", ", coverage.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}")));

        var failed = failures.OrderBy(f => f.Seed).ToList();
        Assert.True(
            failed.Count == 0,
            failed.Count == 0
                ? string.Empty
                : $"{failed.Count} of {seeds} seeds failed ({string.Join(", ", failed.Take(20).Select(f => f.Seed))}); the first:{Environment.NewLine}{failed[0].Message}");
    }
}
