using Failover.Runtime.Configuration;
using Failover.Runtime.Grains;
using Failover.Runtime.Messaging;
using Failover.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Failover.Testing;

namespace Failover.Runtime.Tests.Messaging;

public sealed class GatewayConnectionTests : IAsyncLifetime
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    private TestTransport _silo = null!;

    public async Task InitializeAsync() => _silo = await TestTransport.StartAsync();

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task A_client_call_gets_its_response_and_the_handler_sees_the_client()
    {
        await using var gateway = await ConnectAsync("client-1");

        var response = await gateway.SendRequestAsync(FakeMessageHandler.Echo(17), Long, CancellationToken.None);

        Assert.Equal(_silo.Address, gateway.Silo);
        Assert.Equal(ResponseStatus.Ok, response.Status);
        Assert.Equal(17, response.Body!.Value.GetInt32());
        var peer = Assert.Single(_silo.Handler.Peers);
        Assert.Equal(HandshakeRole.Client, peer.Role);
        Assert.Equal("client-1", peer.ClientId);
        Assert.Null(peer.SiloAddress);
    }

    [Fact]
    public async Task Concurrent_client_calls_are_multiplexed()
    {
        await using var gateway = await ConnectAsync("client-2");

        var responses = await Task.WhenAll(Enumerable.Range(0, 500)
            .Select(i => gateway.SendRequestAsync(FakeMessageHandler.Echo(i), Long, CancellationToken.None)));

        Assert.Equal(Enumerable.Range(0, 500), responses.Select(r => r.Body!.Value.GetInt32()));
        Assert.Equal(1, _silo.Transport.OpenConnectionCount);
    }

    [Fact]
    public async Task A_request_naming_another_incarnation_is_answered_SiloUnavailable()
    {
        await using var gateway = await ConnectAsync("client-3");
        var request = FakeMessageHandler.Echo(1);
        request.TargetSilo = (_silo.Address with { Generation = _silo.Address.Generation - 1 }).ToString();

        var response = await gateway.SendRequestAsync(request, Long, CancellationToken.None);

        Assert.Equal(ResponseStatus.SiloUnavailable, response.Status);
        Assert.Equal(0, _silo.Handler.Calls);
    }

    [Fact]
    public async Task Closed_completes_and_pending_calls_fail_when_the_silo_stops()
    {
        var gateway = await ConnectAsync("client-4");
        var pending = gateway.SendRequestAsync(FakeMessageHandler.Call("hang"), Long, CancellationToken.None);
        await Eventually.True(() => _silo.Handler.Calls == 1, "the silo handles the call");
        Assert.False(gateway.Closed.IsCompleted);

        await _silo.Transport.StopAsync(CancellationToken.None);

        await gateway.Closed.WaitAsync(Long);
        var error = await Assert.ThrowsAsync<SiloUnavailableException>(() => pending);
        Assert.Contains(_silo.Address.ToString(), error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<SiloUnavailableException>(() => gateway.SendRequestAsync(FakeMessageHandler.Echo(1), Long, CancellationToken.None));
        await gateway.DisposeAsync();
    }

    [Fact]
    public async Task A_call_without_an_answer_times_out()
    {
        await using var gateway = await ConnectAsync("client-5");

        await Assert.ThrowsAsync<GrainCallTimeoutException>(
            () => gateway.SendRequestAsync(FakeMessageHandler.Call("hang"), TimeSpan.FromMilliseconds(100), CancellationToken.None));
    }

    [Fact]
    public async Task Disposing_closes_the_connection_on_both_sides()
    {
        var gateway = await ConnectAsync("client-6");
        await Eventually.True(() => _silo.Transport.OpenConnectionCount == 1, "the silo registers the client");

        await gateway.DisposeAsync();

        Assert.True(gateway.Closed.IsCompleted);
        await Eventually.True(() => _silo.Transport.OpenConnectionCount == 0, "the silo drops the client");
    }

    [Fact]
    public async Task Connecting_to_another_cluster_fails_with_SiloUnavailableException()
    {
        await Assert.ThrowsAsync<SiloUnavailableException>(() => GatewayConnection.ConnectAsync(
            _silo.EndPoint, "another-cluster", "client-7", new MessagingOptions(), NullLoggerFactory.Instance, CancellationToken.None));
    }

    [Fact]
    public async Task Connecting_to_a_closed_port_fails_with_SiloUnavailableException()
    {
        var nobody = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, TestTransport.FreePort());

        await Assert.ThrowsAsync<SiloUnavailableException>(() => GatewayConnection.ConnectAsync(
            nobody, TestTransport.ClusterId, "client-8", new MessagingOptions(), NullLoggerFactory.Instance, CancellationToken.None));
    }

    private Task<GatewayConnection> ConnectAsync(string clientId) =>
        GatewayConnection.ConnectAsync(
            _silo.EndPoint, TestTransport.ClusterId, clientId, new MessagingOptions(), NullLoggerFactory.Instance, CancellationToken.None);
}
