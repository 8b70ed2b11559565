using System.Net;
using System.Net.Sockets;
using Failover.Runtime.Configuration;
using Failover.Runtime.Hosting;
using Failover.Runtime.Membership;
using Failover.Runtime.Messaging;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace Failover.Runtime.Tests.Messaging;

/// <summary>A <see cref="SiloTransport"/> listening on a free loopback port, with a fake handler and captured logs.</summary>
public sealed class TestTransport : IAsyncDisposable
{
    public const string ClusterId = "messaging-tests";

    private TestTransport(SiloTransport transport, LocalSilo silo, FakeMessageHandler handler, LogCapture logs)
    {
        Transport = transport;
        Silo = silo;
        Handler = handler;
        Logs = logs;
    }

    public SiloTransport Transport { get; }

    public LocalSilo Silo { get; }

    public FakeMessageHandler Handler { get; }

    public LogCapture Logs { get; }

    public SiloAddress Address => Silo.Address;

    public IPEndPoint EndPoint => Transport.ListeningEndPoint!;

    public static async Task<TestTransport> StartAsync(MessagingOptions? options = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var silo = new LocalSilo(Options.Create(new SiloOptions { Node = "n", Port = port, ClusterId = ClusterId }), TimeProvider.System);
            var handler = new FakeMessageHandler();
            var logs = new LogCapture();
            var transport = new SiloTransport(Options.Create(options ?? new MessagingOptions()), silo, handler, TimeProvider.System, logs.Factory);
            try
            {
                await transport.StartAsync(new IPEndPoint(IPAddress.Loopback, port), CancellationToken.None);
                return new TestTransport(transport, silo, handler, logs);
            }
            catch (AddressInUseException) when (attempt < 10)
            {
                await transport.DisposeAsync();
            }
        }
    }

    /// <summary>A port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        await Transport.DisposeAsync();
        Logs.Factory.Dispose();
    }
}
