using Failover.Runtime.Grains;
using Failover.Runtime.Hosting;
using Failover.Runtime.Membership;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Failover.Testing;

public enum InProcessSiloState
{
    Running,
    Stopped,
    Killed,
}

/// <summary>One silo of a <see cref="TestCluster"/>, hosted in the test process.</summary>
public sealed class InProcessSilo
{
    internal InProcessSilo(string name, int port, IHost host)
    {
        Name = name;
        Port = port;
        Host = host;
        Address = host.Services.GetRequiredService<LocalSilo>().Address;
    }

    public string Name { get; }

    public int Port { get; }

    public InProcessSiloState State { get; internal set; } = InProcessSiloState.Running;

    public IServiceProvider Services => Host.Services;

    public IGrainFactory GrainFactory => Services.GetRequiredService<IGrainFactory>();

    /// <summary>This incarnation's address, fixed once the silo joined (kept after it stopped).</summary>
    public SiloAddress Address { get; }

    internal IHost Host { get; }

    public override string ToString() => $"{Name} ({Address}, {State})";
}
