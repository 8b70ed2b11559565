using System.Net;
using Failover.Agents.FailoverPairs;
using Failover.Agents.Hosting;
using Failover.Hosting;
using Failover.Storage;
using Failover.Silo;
using Microsoft.Extensions.Logging.Console;

SiloCommandLine commandLine;
try
{
    commandLine = SiloCommandLine.Parse(args);
}
catch (UsageException exception)
{
    Console.Error.WriteLine($"error: {exception.Message} (see --help)");
    return ErrorReporter.UsageExitCode;
}

if (commandLine.Verb == SiloVerb.Help)
{
    Console.WriteLine(SiloCommandLine.Usage);
    return 0;
}

var port = 0;
try
{
    var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
    SiloConfiguration.Apply(builder.Configuration, commandLine);
    ConfigureLogging(builder.Logging);

    if (commandLine.Verb == SiloVerb.InitDb)
    {
        return await InitDatabaseAsync(builder.Configuration);
    }

    if (commandLine.Verb == SiloVerb.Stop)
    {
        return await StopSiloCommand.RunAsync(builder.Configuration, commandLine.FailOver);
    }

    if (commandLine.Verb == SiloVerb.ShowKey)
    {
        Console.WriteLine(FailoverPairsServiceCollectionExtensions.ShowKey(builder.Configuration));
        return 0;
    }

    var silo = SiloStartChecks.Options(builder.Configuration);
    port = silo.Port;
    var httpPort = builder.Configuration.GetValue("HttpPort", 0);
    SiloStartChecks.PortsFree(silo, httpPort);

    // Registering reads and checks the failover agent config files: a bad one is one line and touches no database.
    builder.UseOrleans(silo => silo.AddFailoverCluster(builder.Configuration));
    builder.Services.AddFailoverAgents(builder.Configuration);
    builder.Services.AddFailoverPairs(builder.Configuration);

    // The schema before the silo starts (the official providers read their queries from it at start); a database that
    // is down or newer than this binary stops the silo here with one line.
    await ApplySchemaAsync(builder.Configuration, quiet: true);
    await SiloStartChecks.NodeNameFreeAsync(silo, CancellationToken.None);
    builder.WebHost.ConfigureKestrel(kestrel =>
    {
        // The silo and gateway ports are Orleans' (it binds them); HTTP is only there when asked for.
        if (httpPort > 0)
        {
            kestrel.Listen(silo.HostAddress, httpPort);
        }
    });
    if (httpPort == 0)
    {
        builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, "");
        builder.Services.AddSingleton<Microsoft.AspNetCore.Hosting.Server.IServer, NoHttpServer>();
    }

    await using var app = builder.Build();
    SiloEndpoints.Map(app);
    await app.StartAsync();
    await app.WaitForShutdownAsync();
    return Environment.ExitCode;
}
catch (Exception exception)
{
    return ErrorReporter.Report(exception, port);
}

static void ConfigureLogging(ILoggingBuilder logging)
{
    logging.ClearProviders();
    logging.AddSimpleConsole(options =>
    {
        options.SingleLine = true;
        options.TimestampFormat = "HH:mm:ss.fff ";
        options.UseUtcTimestamp = true;
        options.ColorBehavior = LoggerColorBehavior.Disabled;
    });
    logging.SetMinimumLevel(LogLevel.Information);
    logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
    // Start-up failures are reported as one line by ErrorReporter; the host's own stack trace would only bury it.
    logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
    logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
    // Orleans logs its start-up in detail at Information; keep its warnings and errors.
    logging.AddFilter("Orleans", LogLevel.Warning);
    // Orleans' placement retries run through Polly, which logs every attempt at Information.
    logging.AddFilter("Polly", LogLevel.Warning);
    // Reminders of 1 s are this product's choice (DESIGN §4), not news for every start; an error would still show.
    logging.AddFilter("Orleans.Hosting.ReminderOptionsValidator", LogLevel.Error);
}

static async Task<int> InitDatabaseAsync(IConfiguration configuration)
{
    await ApplySchemaAsync(configuration, quiet: false);
    return 0;
}

static async Task ApplySchemaAsync(IConfiguration configuration, bool quiet)
{
    var location = DatabaseLocation.Parse(configuration.GetValue("Database", DatabaseLocation.Default)!);
    await using var database = ClusterDatabase.Open(location);
    await database.CheckConnectionAsync(CancellationToken.None);
    var status = await database.ApplySchemaAsync(CancellationToken.None);
    if (!quiet)
    {
        Console.WriteLine(status.AppliedScripts.Count == 0
            ? $"{location}: schema is up to date (version {status.VersionAfter})"
            : $"{location}: schema version {status.VersionBefore} -> {status.VersionAfter} ({string.Join(", ", status.AppliedScripts)})");
    }
}
