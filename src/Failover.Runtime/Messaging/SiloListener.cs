using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Failover.Runtime.Messaging;

/// <summary>Binds the silo's port through Kestrel's socket transport and hands every accepted connection on.</summary>
internal sealed class SiloListener : IAsyncDisposable
{
    private readonly IConnectionListener _listener;
    private readonly Func<ConnectionContext, Task> _onAccepted;
    private readonly ILogger _logger;
    private readonly Task _acceptLoop;

    private SiloListener(IConnectionListener listener, Func<ConnectionContext, Task> onAccepted, ILogger logger)
    {
        _listener = listener;
        _onAccepted = onAccepted;
        _logger = logger;
        EndPoint = (IPEndPoint)listener.EndPoint;
        _acceptLoop = AcceptLoopAsync();
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>Throws <see cref="AddressInUseException"/> when the port is taken.</summary>
    public static async Task<SiloListener> BindAsync(
        IConnectionListenerFactory factory,
        IPEndPoint endPoint,
        Func<ConnectionContext, Task> onAccepted,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var listener = await factory.BindAsync(endPoint, cancellationToken);
        var silo = new SiloListener(listener, onAccepted, logger);
        MessagingLog.Listening(logger, silo.EndPoint);
        return silo;
    }

    /// <summary>Stops accepting; connections already accepted are not touched.</summary>
    public async ValueTask DisposeAsync()
    {
        await _listener.UnbindAsync();
        await _acceptLoop;
        await _listener.DisposeAsync();
    }

    private async Task AcceptLoopAsync()
    {
        await Task.Yield();
        try
        {
            while (await _listener.AcceptAsync() is { } connection)
            {
                _ = Task.Run(() => _onAccepted(connection));
            }
        }
        catch (Exception exception)
        {
            MessagingLog.AcceptFailed(_logger, EndPoint, exception);
        }
    }
}
