using Failover.Runtime.Grains;
using Failover.Runtime.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Failover.Runtime.Tests.Infrastructure;

/// <summary>One silo in this process on a given database, with the test grains registered.</summary>
public sealed class TestSilo : IAsyncDisposable
{
    private static int s_nextPort = 21000 + (Environment.ProcessId % 1000) * 10;

    private readonly IHost _host;
    private bool _stopped;

    private TestSilo(IHost host)
    {
        _host = host;
    }

    public IServiceProvider Services => _host.Services;

    public IGrainFactory GrainFactory => Services.GetRequiredService<IGrainFactory>();

    public LocalSilo Silo => Services.GetRequiredService<LocalSilo>();

    public static int NextPort() => Interlocked.Increment(ref s_nextPort);

    public static async Task<TestSilo> StartAsync(
        string database,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configureServices = null,
        int? port = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Node"] = "test-node",
            ["Port"] = (port ?? NextPort()).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Database"] = database,
        };
        foreach (var setting in settings ?? new Dictionary<string, string?>())
        {
            configuration[setting.Key] = setting.Value;
        }

        var builder = FailoverSiloHost.CreateBuilder(configuration);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddGrainsFromAssembly(typeof(TestSilo).Assembly);
        builder.Services.AddSingleton<GrainEventLog>();
        configureServices?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new TestSilo(host);
    }

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _host.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
    }
}
