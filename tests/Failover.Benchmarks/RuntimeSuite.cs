using System.Globalization;
using Failover.Storage.Hosting;
using Failover.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Failover.Benchmarks;

/// <summary>The runtime suite: one silo hosted in this process, the benchmark grains, <see cref="RuntimeBenchmarks"/>.</summary>
internal static class RuntimeSuite
{
    public static async Task<IReadOnlyList<BenchmarkResult>> RunAsync(
        BenchmarkSettings settings, BenchmarkDatabase database, TextWriter progress, CancellationToken cancellationToken)
    {
        var clusterId = $"bench-{Guid.NewGuid():N}"[..20];
        var builder = FailoverSiloHost.CreateBuilder(new Dictionary<string, string?>
        {
            ["Node"] = "bench",
            ["Port"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
            ["Database"] = database.Setting,
            ["ClusterId"] = clusterId,
            ["ServiceId"] = clusterId,
            ["Reminders:MinimumReminderPeriod"] = "00:00:00.050",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Services.AddGrainsFromAssembly(typeof(PingGrain).Assembly);
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        try
        {
            progress.WriteLine($"runtime suite: one silo in this process on {database.Kind}, {settings.Rounds} rounds x {settings.Duration.TotalSeconds} s");
            return await new RuntimeBenchmarks(host.Services, settings, progress).RunAsync(cancellationToken);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }
}
