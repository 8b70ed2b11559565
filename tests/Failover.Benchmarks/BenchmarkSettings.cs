using System.Globalization;

namespace Failover.Benchmarks;

internal sealed record BenchmarkSettings(TimeSpan Duration, int Rounds, string? JsonPath, string? Database)
{
    public const string Usage = "usage: Failover.Benchmarks [--seconds N] [--rounds N] [--json FILE] [--database DB]";

    public static BenchmarkSettings Parse(string[] args)
    {
        var settings = new BenchmarkSettings(TimeSpan.FromSeconds(3), 3, null, null);
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"option {args[i]} needs a value");
            settings = args[i] switch
            {
                "--seconds" => settings with { Duration = TimeSpan.FromSeconds(PositiveNumber(args[i], value)) },
                "--rounds" => settings with { Rounds = (int)PositiveNumber(args[i], value) },
                "--json" => settings with { JsonPath = value },
                "--database" => settings with { Database = value },
                _ => throw new ArgumentException($"unknown option '{args[i]}'"),
            };
            i++;
        }

        return settings;
    }

    private static double PositiveNumber(string option, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ArgumentException($"{option} needs a positive number (got '{value}')");
}
