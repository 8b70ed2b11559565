using Failover.Agents.Hosting;
using Failover.Hosting;
using Failover.Storage;
using Failover.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

// A silo process with the test grains and the agents, for fault tests and benchmarks (kill -9, SIGSTOP); with
// --stock yes, a plain Orleans silo instead: Orleans' ADO.NET clustering on the same database and nothing of ours.
// Usage: Failover.TestHost --node NAME --port N --database DB --cluster-id ID [--service-id ID] [--stock yes] [--set Section:Key=Value]...
var settings = new Dictionary<string, string?>();
var stock = false;
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
        case "--gateway-port": settings["GatewayPort"] = value; break;
        case "--database": settings["Database"] = value; break;
        case "--cluster-id": settings["ClusterId"] = value; break;
        case "--service-id": settings["ServiceId"] = value; break;
        case "--stock": stock = value == "yes"; break;
        case "--set" when value.Contains('=', StringComparison.Ordinal):
            settings[value[..value.IndexOf('=', StringComparison.Ordinal)]] = value[(value.IndexOf('=', StringComparison.Ordinal) + 1)..];
            break;
        default:
            Console.Error.WriteLine($"error: unknown option '{name}'");
            return 2;
    }
}

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, Args = [] });
builder.Configuration.AddInMemoryCollection(settings);
builder.Logging.AddSimpleConsole(options =>
{
    options.SingleLine = true;
    options.TimestampFormat = "HH:mm:ss.fff ";
    options.ColorBehavior = LoggerColorBehavior.Disabled;
});
builder.Logging.SetMinimumLevel(LogLevel.Information);
builder.Logging.AddFilter("Orleans", LogLevel.Warning);
builder.Logging.AddFilter("Polly", LogLevel.Warning);
// Which silo voted whom Dead, and when a silo declared another one Dead ("Evicting ..."): fault tests read it.
builder.Logging.AddFilter("Orleans.Runtime.MembershipService.MembershipTableManager", LogLevel.Information);
builder.Logging.AddFilter("Polly", LogLevel.Warning);
try
{
    await using (var database = ClusterDatabase.Open(DatabaseLocation.Parse(builder.Configuration["Database"] ?? DatabaseLocation.Default)))
    {
        await database.ApplySchemaAsync(CancellationToken.None);
    }

    if (stock)
    {
        builder.UseOrleans(silo => StockSilo.Configure(silo, builder.Configuration));
    }
    else
    {
        builder.UseOrleans(silo => silo.AddFailoverCluster(builder.Configuration));
        builder.Services.AddFailoverAgents(builder.Configuration);
    }

    using var host = builder.Build();
    await host.RunAsync();
}
catch (Exception exception)
{
    Console.Error.WriteLine($"error: {exception.Message}");
    return 1;
}

return Environment.ExitCode;
