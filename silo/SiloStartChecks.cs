using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;
using Failover.Hosting;

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
