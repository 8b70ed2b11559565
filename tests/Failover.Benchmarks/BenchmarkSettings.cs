using System.Globalization;

namespace Failover.Benchmarks;

internal enum BenchmarkSuite
{
    All,
    Runtime,
    Cluster,
    Directors,
    Pairs,
    Orders,

    /// <summary>Quartz.NET and Hangfire side by side with the product; only when asked for by name (not part of all).</summary>
    Peers,
}

internal sealed record BenchmarkSettings(TimeSpan Duration, int Rounds, string? JsonPath, string? Database, BenchmarkSuite Suite, int Kills)
{
    public const string Usage =
        "usage: Failover.Benchmarks [--suite runtime|cluster|directors|pairs|orders|all|peers] [--seconds N] [--rounds N] [--kills N] [--json FILE] [--database DB]" +
        " [--peers failover,quartz,hangfire] [--peer-failovers N] [--peer-failover-wait MINUTES]";

    /// <summary>Which systems the peers suite runs (by name), or null for all of them.</summary>
    public IReadOnlySet<string>? Peers { get; init; }

    /// <summary>Fail-over rounds per system and configuration in the peers suite.</summary>
    public int PeerFailovers { get; init; } = 3;

    /// <summary>How long a peers fail-over round (and the exactly-once check) waits for a killed node's job.</summary>
    public TimeSpan PeerFailoverWait { get; init; } = TimeSpan.FromMinutes(10);

    public static BenchmarkSettings Parse(string[] args)
    {
        var settings = new BenchmarkSettings(TimeSpan.FromSeconds(3), 3, null, null, BenchmarkSuite.All, 20);
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"option {args[i]} needs a value");
            settings = args[i] switch
            {
                "--seconds" => settings with { Duration = TimeSpan.FromSeconds(PositiveNumber(args[i], value)) },
                "--rounds" => settings with { Rounds = (int)PositiveNumber(args[i], value) },
                "--json" => settings with { JsonPath = value },
                "--database" => settings with { Database = value },
                "--suite" => settings with { Suite = ParseSuite(value) },
                "--kills" => settings with { Kills = Count(args[i], value) },
                "--peers" => settings with { Peers = PeerNames(value) },
                "--peer-failovers" => settings with { PeerFailovers = Count(args[i], value) },
                "--peer-failover-wait" => settings with { PeerFailoverWait = TimeSpan.FromMinutes(PositiveNumber(args[i], value)) },
                _ => throw new ArgumentException($"unknown option '{args[i]}'"),
            };
            i++;
        }

        return settings;
    }

    public bool Runs(BenchmarkSuite suite) => (Suite == BenchmarkSuite.All && suite != BenchmarkSuite.Peers) || Suite == suite;

    private static BenchmarkSuite ParseSuite(string value) => value switch
    {
        "all" => BenchmarkSuite.All,
        "runtime" => BenchmarkSuite.Runtime,
        "cluster" => BenchmarkSuite.Cluster,
        "directors" => BenchmarkSuite.Directors,
        "pairs" => BenchmarkSuite.Pairs,
        "orders" => BenchmarkSuite.Orders,
        "peers" => BenchmarkSuite.Peers,
        _ => throw new ArgumentException($"--suite must be runtime, cluster, directors, pairs, orders, all or peers (got '{value}')"),
    };

    private static HashSet<string> PeerNames(string value)
    {
        var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var known = Failover.Benchmarks.Peers.PeerSystems.All.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        return names.Count > 0 && names.IsSubsetOf(known)
            ? names
            : throw new ArgumentException($"--peers takes names among {string.Join(", ", known)} (got '{value}')");
    }

    private static double PositiveNumber(string option, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ArgumentException($"{option} needs a positive number (got '{value}')");

    private static int Count(string option, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? count
            : throw new ArgumentException($"{option} needs a whole number, 0 or more (got '{value}')");
}
