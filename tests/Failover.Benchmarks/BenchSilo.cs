using Failover.Hosting;
using Failover.Hosting.Placement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Failover.Benchmarks;

/// <summary>
/// <c>Failover.Benchmarks silo --node N --port P --gateway-port G --database DB --cluster-id ID --service-id ID
/// [--set Section:Key=Value]...</c>: a silo process of the runtime and cluster suites — an Orleans silo configured as
/// the product's (<see cref="FailoverSiloBuilderExtensions.AddFailoverCluster"/>) hosting the grains of BenchGrains.cs.
/// </summary>
internal static class BenchSilo
{
    public const string Verb = "silo";

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var settings = new Dictionary<string, string?>();
        for (var i = 0; i < args.Count; i += 2)
        {
            if (i + 1 >= args.Count)
            {
                Console.Error.WriteLine($"error: option {args[i]} needs a value");
                return 2;
            }

            var (name, value) = (args[i], args[i + 1]);
            var key = name switch
            {
                "--node" => "Node",
                "--port" => "Port",
                "--gateway-port" => "GatewayPort",
                "--database" => "Database",
                "--cluster-id" => "ClusterId",
                "--service-id" => "ServiceId",
                "--set" when value.Contains('=', StringComparison.Ordinal) => value[..value.IndexOf('=', StringComparison.Ordinal)],
                _ => null,
            };
            if (key is null)
            {
                Console.Error.WriteLine($"error: unknown option '{name}'");
                return 2;
            }

            settings[key] = name == "--set" ? value[(value.IndexOf('=', StringComparison.Ordinal) + 1)..] : value;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, Args = [] });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "HH:mm:ss.fff ";
            options.UseUtcTimestamp = true;
            options.ColorBehavior = LoggerColorBehavior.Disabled;
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo => silo.AddFailoverCluster(builder.Configuration));
        builder.Services.AddSingleton<INodePlacementRule, BenchPlacementRule>();
        try
        {
            using var host = builder.Build();
            await host.RunAsync();
            return 0;
        }
        catch (Exception exception)
        {
            Console.Error.WriteLine($"error: {exception.Message}");
            return 1;
        }
    }
}
