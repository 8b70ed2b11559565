using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Failover.Runtime.Configuration;
using Failover.Runtime.Messaging;
using Failover.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Failover.Testing;

namespace Failover.Runtime.Tests.Messaging;

/// <summary>Bad input on one raw connection closes that connection, with a logged reason, and nothing else.</summary>
public sealed class ProtocolViolationTests : IAsyncLifetime
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    private TestTransport _server = null!;
    private TestTransport _client = null!;

    public async Task InitializeAsync()
    {
        _server = await TestTransport.StartAsync(new MessagingOptions { HandshakeTimeout = TimeSpan.FromSeconds(30) });
        _client = await TestTransport.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Theory]
    [InlineData("garbage handshake", "malformed handshake JSON")]
    [InlineData("oversized length", "exceeds the maximum")]
    [InlineData("zero length", "frame length 0")]
    [InlineData("wrong cluster", "is not this cluster's")]
    [InlineData("wrong protocol version", "protocol version 99 is not supported")]
    [InlineData("client without id", "client handshake without a client id")]
    [InlineData("garbage message", "malformed message JSON")]
    [InlineData("trailing bytes after message", "malformed message JSON")]
    [InlineData("unknown message kind", "unknown message kind 9")]
    [InlineData("oversized message", "exceeds the maximum")]
    public async Task A_bad_frame_closes_only_its_connection(string variant, string loggedReason)
    {
        // A call in flight on a good connection, and its handler waiting, while the bad connection is cut off.
        var inFlight = _client.Transport.SendRequestAsync(_server.Address, FakeMessageHandler.Call("gate"), Long, CancellationToken.None);
        await Eventually.True(() => _server.Handler.Calls == 1, "the server handles the good call");

        using var raw = new TcpClient();
        await raw.ConnectAsync(IPAddress.Loopback, _server.EndPoint.Port);
        var stream = raw.GetStream();
        await stream.WriteAsync(BadInput(variant));

        await ReadUntilClosedAsync(stream);
        await Eventually.True(() => _server.Logs.Contains(LogLevel.Warning, loggedReason), $"the reason '{loggedReason}' is logged");

        _server.Handler.OpenGate();
        var response = await inFlight;
        Assert.Equal(ResponseStatus.Ok, response.Status);
        var next = await _client.Transport.SendRequestAsync(_server.Address, FakeMessageHandler.Echo(9), Long, CancellationToken.None);
        Assert.Equal(9, next.Body!.Value.GetInt32());
        Assert.Equal(1, _client.Transport.OpenConnectionCount);
    }

    [Fact]
    public async Task A_connection_that_never_handshakes_is_closed_after_the_handshake_timeout()
    {
        await using var server = await TestTransport.StartAsync(new MessagingOptions { HandshakeTimeout = TimeSpan.FromMilliseconds(100) });
        using var raw = new TcpClient();
        await raw.ConnectAsync(IPAddress.Loopback, server.EndPoint.Port);

        await ReadUntilClosedAsync(raw.GetStream());

        await Eventually.True(() => server.Logs.Contains(LogLevel.Warning, "no handshake within"), "the reason is logged");
    }

    private static byte[] BadInput(string variant)
    {
        var goodClient = new Handshake(Handshake.CurrentProtocolVersion, TestTransport.ClusterId, HandshakeRole.Client, null, "raw");
        return variant switch
        {
            "garbage handshake" => Frame("{\"ProtocolVersion\": 1, \"Clus"u8.ToArray()),
            "oversized length" => Header(MessagingOptions.DefaultMaxFrameBytes + 1),
            "zero length" => Header(0),
            "wrong cluster" => Frame(Json(goodClient with { ClusterId = "another-cluster" })),
            "wrong protocol version" => Frame(Json(goodClient with { ProtocolVersion = 99 })),
            "client without id" => Frame(Json(goodClient with { ClientId = null })),
            "garbage message" => [.. Frame(Json(goodClient)), .. Frame("not json at all"u8.ToArray())],
            "trailing bytes after message" => [.. Frame(Json(goodClient)), .. Frame("{\"Kind\":1,\"Id\":1} {}"u8.ToArray())],
            "unknown message kind" => [.. Frame(Json(goodClient)), .. Frame("{\"Kind\":9,\"Id\":1}"u8.ToArray())],
            "oversized message" => [.. Frame(Json(goodClient)), .. Header(int.MaxValue)],
            _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, null),
        };
    }

    private static byte[] Json(Handshake handshake) =>
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(handshake, MessagingJsonContext.Default.Handshake));

    private static byte[] Header(int length)
    {
        var header = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(header, length);
        return header;
    }

    private static byte[] Frame(byte[] payload) => [.. Header(payload.Length), .. payload];

    /// <summary>Reads (and discards, e.g. the server's handshake) until the server closes the connection.</summary>
    private static async Task ReadUntilClosedAsync(NetworkStream stream)
    {
        using var deadline = new CancellationTokenSource(Long);
        var buffer = new byte[4096];
        try
        {
            while (await stream.ReadAsync(buffer, deadline.Token) > 0)
            {
            }
        }
        catch (IOException)
        {
            // Reset by the server: closed as well.
        }
    }
}
