using Failover.Agents.Hosting;
using Failover.Runtime.Hosting;
using Failover.TestHost;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

// A silo process with the test grains and the agents, for fault tests and benchmarks (kill -9, SIGSTOP).
// Usage: Failover.TestHost --node NAME --port N --database DB --cluster-id ID [--service-id ID] [--set Section:Key=Value]...
var settings = new Dictionary<string, string?>();
for (var i = 0; i < args.Length; i += 2)
{
    if (i + 1 >= args.Length)
    {
        Console.Error.WriteLine($"error: option {args[i]} needs a value");
        return 2;
    }

    var (name, value) = (args[i], args[i + 1]);
    switch (name)
    {
        case "--node": settings["Node"] = value; break;
        case "--port": settings["Port"] = value; break;
        case "--database": settings["Database"] = value; break;
        case "--cluster-id": settings["ClusterId"] = value; break;
        case "--service-id": settings["ServiceId"] = value; break;
        case "--set" when value.Contains('=', StringComparison.Ordinal):
            settings[value[..value.IndexOf('=', StringComparison.Ordinal)]] = value[(value.IndexOf('=', StringComparison.Ordinal) + 1)..];
            break;
        default:
            Console.Error.WriteLine($"error: unknown option '{name}'");
            return 2;
    }
}

var builder = FailoverSiloHost.CreateBuilder(settings);
builder.Logging.AddSimpleConsole(options =>
{
    options.SingleLine = true;
    options.TimestampFormat = "HH:mm:ss.fff ";
    options.ColorBehavior = LoggerColorBehavior.Disabled;
});
builder.Logging.SetMinimumLevel(LogLevel.Information);
builder.Services.AddGrainsFromAssembly(typeof(LocatorGrain).Assembly);
builder.Services.AddFailoverAgents(builder.Configuration);
using var host = builder.Build();
try
{
    await host.RunAsync();
}
catch (Exception exception)
{
    Console.Error.WriteLine($"error: {exception.Message}");
    return 1;
}

return Environment.ExitCode;
