using System.Globalization;
using Failover.Runtime.Client;
using Failover.Runtime.Hosting;
using Failover.Runtime.Messaging;
using Failover.Runtime.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Failover.Testing;

/// <summary>
/// Several silos of one cluster in the test process, on one database and real loopback TCP: start, stop (graceful),
/// kill (abrupt: nothing is written, connections drop), restart and partition.
/// </summary>
public sealed class TestCluster(TestClusterOptions options) : IAsyncDisposable
{
    private readonly List<InProcessSilo> _silos = [];
    private readonly List<ClusterClient> _clients = [];

    public TestClusterOptions Options { get; } = options;

    public IReadOnlyList<InProcessSilo> Silos => _silos;

    public IEnumerable<InProcessSilo> RunningSilos => _silos.Where(s => s.State == InProcessSiloState.Running);

    public async Task<InProcessSilo> StartSiloAsync(string name, int? port = null)
    {
        var siloPort = port ?? FreePorts.Next();
        var settings = new Dictionary<string, string?>(Options.Settings)
        {
            ["Node"] = name,
            ["Port"] = siloPort.ToString(CultureInfo.InvariantCulture),
            ["Database"] = Options.Database,
            ["ClusterId"] = Options.ClusterId,
        };
        var builder = FailoverSiloHost.CreateBuilder(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        foreach (var assembly in Options.GrainAssemblies)
        {
            builder.Services.AddGrainsFromAssembly(assembly);
        }

        Options.ConfigureServices?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        var silo = new InProcessSilo(name, siloPort, host);
        _silos.Add(silo);
        return silo;
    }

    /// <summary>Graceful stop: ShuttingDown, grains deactivated, directory released, row Dead.</summary>
    public async Task StopSiloAsync(InProcessSilo silo)
    {
        if (silo.State != InProcessSiloState.Running)
        {
            return;
        }

        silo.State = InProcessSiloState.Stopped;
        // A silo that read itself Dead has already stopped acting (and asked its host to stop): nothing graceful is
        // left to do, and its tables must not be written.
        if (!silo.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested)
        {
            await silo.Host.StopAsync();
        }

        await DisposeHostAsync(silo.Host);
    }

    /// <summary>Abrupt stop, as kill -9 would: no status is written, connections drop, the lease simply lapses.</summary>
    public async Task KillSiloAsync(InProcessSilo silo)
    {
        if (silo.State != InProcessSiloState.Running)
        {
            return;
        }

        silo.State = InProcessSiloState.Killed;
        await silo.Services.GetServices<IHostedService>().OfType<SiloLifecycleService>().Single().AbandonAsync();
        await DisposeHostAsync(silo.Host);
    }

    /// <summary>Starts a new incarnation of the silo on the same node name and port (a new generation).</summary>
    public async Task<InProcessSilo> RestartSiloAsync(InProcessSilo silo)
    {
        await StopSiloAsync(silo);
        return await StartSiloAsync(silo.Name, silo.Port);
    }

    /// <summary>
    /// Cuts the network between two silos both ways (they still reach the database), as a partition between their
    /// hosts would: messages and probes are black-holed, not refused.
    /// </summary>
    public void Partition(InProcessSilo a, InProcessSilo b) => SetBlocked(a, b, blocked: true);

    public void Heal(InProcessSilo a, InProcessSilo b) => SetBlocked(a, b, blocked: false);

    /// <summary>
    /// Freezes the silo as SIGSTOP would, as far as the cluster can tell: it renews no lease and probes no one, and
    /// no other silo reaches it or hears from it. Its lease lapses, so it stops running turns too.
    /// </summary>
    public void PauseSilo(InProcessSilo silo)
    {
        silo.Services.GetRequiredService<FaultInjection>().Paused = true;
        foreach (var other in RunningSilos.Where(s => s != silo))
        {
            Partition(silo, other);
        }
    }

    /// <summary>SIGCONT: the silo goes on where it stopped, and finds out what the cluster decided meanwhile.</summary>
    public void ResumeSilo(InProcessSilo silo)
    {
        foreach (var other in RunningSilos.Where(s => s != silo))
        {
            Heal(silo, other);
        }

        silo.Services.GetRequiredService<FaultInjection>().Paused = false;
    }

    /// <summary>A client connected to the cluster's gateways through the membership table.</summary>
    public async Task<ClusterClient> ConnectClientAsync()
    {
        var client = await ClusterClient.ConnectAsync(new ClusterClientOptions
        {
            ClusterId = Options.ClusterId,
            Database = DatabaseLocation.Parse(Options.Database),
        });
        _clients.Add(client);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }

        foreach (var silo in _silos.Where(s => s.State == InProcessSiloState.Running).Reverse().ToList())
        {
            await StopSiloAsync(silo);
        }
    }

    private static void SetBlocked(InProcessSilo a, InProcessSilo b, bool blocked)
    {
        foreach (var (from, to) in new[] { (a, b), (b, a) })
        {
            if (from.State != InProcessSiloState.Running)
            {
                continue;
            }

            var transport = from.Services.GetRequiredService<SiloTransport>();
            if (blocked)
            {
                transport.BlockPeer(to.Address.Endpoint);
            }
            else
            {
                transport.UnblockPeer(to.Address.Endpoint);
            }
        }
    }

    private static async Task DisposeHostAsync(IHost host)
    {
        if (host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else
        {
            host.Dispose();
        }
    }
}
