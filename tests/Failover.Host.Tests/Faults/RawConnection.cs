using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Failover.Host.Tests.Faults;

/// <summary>
/// A bare TCP connection to a silo port that speaks the wire format by hand: a 4-byte big-endian length, then that many
/// bytes (UTF-8 JSON of a Handshake first, Messages after it), or whatever a test wants to send instead.
/// </summary>
public sealed class RawConnection : IAsyncDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    private readonly TcpClient _client;
    private readonly NetworkStream _stream;

    private RawConnection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    /// <summary>How the silo's log names this connection: <c>127.0.0.1:localport</c>.</summary>
    public string LocalEndPoint => _client.Client.LocalEndPoint!.ToString()!;

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

    /// <summary>The JSON of a client handshake, as Handshake.cs and MessagingJsonContext write it (property names as declared).</summary>
    public static string ClientHandshake(string clusterId, string clientId) =>
        $$"""{"ProtocolVersion":1,"ClusterId":"{{clusterId}}","Role":2,"ClientId":"{{clientId}}"}""";

    public static byte[] Frame(string json) => Frame(Encoding.UTF8.GetBytes(json));

    public static byte[] Frame(byte[] payload) => [.. Header((uint)payload.Length), .. payload];

    public static byte[] Header(uint length)
    {
        var header = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(header, length);
        return header;
    }

    public async Task SendAsync(byte[] bytes, CancellationToken cancellationToken = default) =>
        await _stream.WriteAsync(bytes, cancellationToken);

    /// <summary>Reads one whole frame and returns its payload as text.</summary>
    public async Task<string> ReadFrameAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_timeout);
        var header = new byte[4];
        await _stream.ReadExactlyAsync(header, timeout.Token);
        var payload = new byte[BinaryPrimitives.ReadUInt32BigEndian(header)];
        await _stream.ReadExactlyAsync(payload, timeout.Token);
        return Encoding.UTF8.GetString(payload);
    }

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
