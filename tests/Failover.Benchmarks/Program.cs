using System.Globalization;
using System.Text.Json;
using Failover.Benchmarks;
using Failover.Runtime.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

BenchmarkSettings settings;
try
{
    settings = BenchmarkSettings.Parse(args);
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine($"error: {exception.Message}");
    Console.Error.WriteLine(BenchmarkSettings.Usage);
    return 2;
}

var workDirectory = Directory.CreateTempSubdirectory("failover-bench-");
try
{
    var database = settings.Database ?? $"sqlite:{Path.Combine(workDirectory.FullName, "bench.db")}";
    var builder = FailoverSiloHost.CreateBuilder(new Dictionary<string, string?>
    {
        ["Node"] = "bench",
        ["Port"] = "29999",
        ["Database"] = database,
        ["Reminders:MinimumReminderPeriod"] = "00:00:00.050",
    });
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
    builder.Services.AddGrainsFromAssembly(typeof(PingGrain).Assembly);
    using var host = builder.Build();
    await host.StartAsync();

    Console.WriteLine($"Orleans.Failover runtime benchmarks — {Environment.ProcessorCount} cores, {settings.Rounds} rounds x {settings.Duration.TotalSeconds} s, database {database.Split(':')[0]}");
    var results = await new RuntimeBenchmarks(host.Services, settings, Console.Out).RunAsync();
    await host.StopAsync();

    ResultTable.Write(results, Console.Out);
    var jsonPath = settings.JsonPath ?? Path.Combine("BenchmarkResults", $"runtime-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.json");
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(jsonPath))!);
    await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(new
    {
        machine = new { cores = Environment.ProcessorCount, os = Environment.OSVersion.ToString(), runtime = Environment.Version.ToString() },
        settings = new { seconds = settings.Duration.TotalSeconds, settings.Rounds, database = database.Split(':')[0] },
        results,
    }, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
    Console.WriteLine($"results written to {jsonPath}");
    return 0;
}
finally
{
    workDirectory.Delete(recursive: true);
}
