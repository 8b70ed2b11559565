using System.Net;
using System.Net.Sockets;

namespace Failover.Host.Tests.Faults;

/// <summary>
/// A bare TCP connection to one of a silo's Orleans ports (silo or gateway), for sending what no Orleans peer would:
/// Orleans expects a connection preamble first (a 4-byte little-endian length of at most 1024, then that many bytes of
/// its binary serializer).
/// </summary>
public sealed class RawConnection : IAsyncDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(15);

    private readonly TcpClient _client;
    private readonly NetworkStream _stream;

    private RawConnection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static async Task<RawConnection> OpenAsync(int port, CancellationToken cancellationToken = default)
    {
        var client = new TcpClient(AddressFamily.InterNetwork);
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            return new RawConnection(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>A preamble length prefix (little-endian, as Orleans reads it) followed by <paramref name="payload"/>.</summary>
    public static byte[] Preamble(int length, byte[] payload) => [.. BitConverter.GetBytes(length), .. payload];

    public async Task SendAsync(byte[] bytes, CancellationToken cancellationToken = default) =>
        await _stream.WriteAsync(bytes, cancellationToken);

    /// <summary>True once the silo has closed the connection (end of stream or reset); false if it is still open after a while.</summary>
    public async Task<bool> IsClosedBySiloAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_timeout);
        var buffer = new byte[4096];
        try
        {
            while (await _stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }

            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
