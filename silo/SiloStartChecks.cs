using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;
using Failover.Hosting;
using Failover.Hosting.Membership;
using Failover.Storage;
using Orleans.Runtime;

namespace Failover.Silo;

/// <summary>
/// What is checked before Orleans starts, so that a mistake is one line naming the option instead of a failure deep in
/// Orleans' start-up: the silo's own options, and that the ports it will listen on are free.
/// </summary>
internal static class SiloStartChecks
{
    /// <summary>Binds and validates <see cref="FailoverSiloOptions"/>; the first problem is a <see cref="UsageException"/>.</summary>
    public static FailoverSiloOptions Options(IConfiguration configuration)
    {
        var options = new FailoverSiloOptions();
        configuration.Bind(options);
        if (FailoverSiloOptionsValidator.Problems(options) is { Count: > 0 } problems)
        {
            throw new UsageException(string.Join("; ", problems));
        }

        return options;
    }

    /// <summary>Throws <see cref="PortInUseException"/> (exit code 1: the environment) when a port the silo needs is taken.</summary>
    public static void PortsFree(FailoverSiloOptions options, int httpPort)
    {
        Free(options.HostAddress, options.Port, "--port");
        Free(options.HostAddress, options.EffectiveGatewayPort, options.GatewayPort == 0 ? "the gateway port, --port + 1" : "--gateway-port");
        if (httpPort > 0)
        {
            Free(options.HostAddress, httpPort, "--http-port");
        }
    }

    /// <summary>
    /// Throws <see cref="NodeAlreadyRunningException"/> when an Active or Joining silo of the cluster already has this
    /// node name and answers on its port: the operator started the node twice. Nothing is written. A holder that does not
    /// answer is left to the silo's claim of its name, which declares a crashed predecessor Dead.
    /// </summary>
    public static async Task NodeNameFreeAsync(FailoverSiloOptions options, CancellationToken cancellationToken)
    {
        await using var database = ClusterDatabase.Open(options.DatabaseLocation);
        var table = await database.CreateMembershipRows(options.ClusterId).ReadAllAsync(cancellationToken);
        foreach (var row in table.Entries.Where(r => r.SiloName == options.Node && r.Status is SiloStatus.Active or SiloStatus.Joining))
        {
            if (await PortKnock.KnockAsync(row.Address.Endpoint, TimeSpan.FromSeconds(1), cancellationToken) == PortAnswer.Accepted)
            {
                throw new NodeAlreadyRunningException(
                    $"node '{options.Node}' is already running: silo {row.Address.ToParsableString()} is {row.Status} with that name and answers on {row.Address.Endpoint}; stop it first, or give this silo another --node");
            }
        }
    }

    private static void Free(IPAddress address, int port, string option)
    {
        using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            probe.Bind(new IPEndPoint(address, port));
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new PortInUseException($"port {port} ({option}) is already in use");
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.AddressNotAvailable)
        {
            throw new PortInUseException($"cannot listen on {address}: it is not an address of this machine (--host)");
        }
    }
}

/// <summary>A port the silo needs is taken by another process.</summary>
internal sealed class PortInUseException(string message) : Exception(message);
