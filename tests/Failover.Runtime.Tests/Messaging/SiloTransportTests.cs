using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Failover.Runtime.Configuration;
using Failover.Runtime.Grains;
using Failover.Runtime.Membership;
using Failover.Runtime.Messaging;
using Failover.Runtime.Tests.Infrastructure;
using Failover.Runtime.Hosting;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Failover.Testing;

namespace Failover.Runtime.Tests.Messaging;

public sealed class SiloTransportTests : IAsyncLifetime
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    private TestTransport _server = null!;
    private TestTransport _client = null!;

    public async Task InitializeAsync()
    {
        _server = await TestTransport.StartAsync();
        _client = await TestTransport.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_request_gets_its_response()
    {
        var request = FakeMessageHandler.Echo(42);

        var response = await _client.Transport.SendRequestAsync(_server.Address, request, Long, CancellationToken.None);

        Assert.Equal(MessageKind.Response, response.Kind);
        Assert.Equal(request.Id, response.Id);
        Assert.Equal(ResponseStatus.Ok, response.Status);
        Assert.Equal(42, response.Body!.Value.GetInt32());
        Assert.Equal(_server.Address.ToString(), request.TargetSilo);
        Assert.InRange(request.TimeoutMs, 1, 30_000);
        var peer = Assert.Single(_server.Handler.Peers);
        Assert.Equal(HandshakeRole.Silo, peer.Role);
        Assert.Equal(_client.Address.ToString(), peer.SiloAddress);
    }

    [Fact]
    public async Task A_thousand_concurrent_requests_share_one_connection_and_each_gets_its_own_answer()
    {
        var calls = Enumerable.Range(0, 1000)
            .Select(i => _client.Transport.SendRequestAsync(_server.Address, FakeMessageHandler.Echo(i), Long, CancellationToken.None))
            .ToArray();

        var responses = await Task.WhenAll(calls);

        for (var i = 0; i < responses.Length; i++)
        {
            Assert.Equal(ResponseStatus.Ok, responses[i].Status);
            Assert.Equal(i, responses[i].Body!.Value.GetInt32());
        }

        Assert.Equal(1000, responses.Select(r => r.Id).Distinct().Count());
        Assert.Equal(1000, _server.Handler.Calls);
        Assert.Equal(1, _client.Transport.OpenConnectionCount);
        Assert.Equal(1, _server.Transport.OpenConnectionCount);
    }

    [Fact]
    public async Task Calls_are_spread_over_ConnectionsPerSilo_connections()
    {
        await using var client = await TestTransport.StartAsync(new MessagingOptions { ConnectionsPerSilo = 3 });

        await Task.WhenAll(Enumerable.Range(0, 30)
            .Select(i => client.Transport.SendRequestAsync(_server.Address, FakeMessageHandler.Echo(i), Long, CancellationToken.None)));

        Assert.Equal(3, client.Transport.OpenConnectionCount);
    }

    [Fact]
    public async Task A_handler_exception_becomes_an_Exception_response()
    {
        var response = await _client.Transport.SendRequestAsync(_server.Address, FakeMessageHandler.Call("throw"), Long, CancellationToken.None);

        Assert.Equal(ResponseStatus.Exception, response.Status);
        Assert.Equal(typeof(InvalidOperationException).FullName, response.ExceptionType);
        Assert.Equal("handler failed on purpose", response.ExceptionMessage);
    }

    [Fact]
    public async Task A_request_for_another_incarnation_is_answered_SiloUnavailable_without_reaching_the_handler()
    {
        var oldAddress = _server.Address;
        await _client.Transport.SendRequestAsync(oldAddress, FakeMessageHandler.Echo(1), Long, CancellationToken.None);
        _server.Silo.EnsureGenerationAbove(oldAddress.Generation);

        // The connection was opened to the old generation and is still up; the request itself names it.
        var response = await _client.Transport.SendRequestAsync(oldAddress, FakeMessageHandler.Echo(2), Long, CancellationToken.None);

        Assert.Equal(ResponseStatus.SiloUnavailable, response.Status);
        Assert.Equal(1, _server.Handler.Calls);
    }

    [Fact]
    public async Task A_handshake_showing_another_generation_fails_the_call_with_SiloUnavailableException()
    {
        var stale = _server.Address with { Generation = _server.Address.Generation - 1 };

        var error = await Assert.ThrowsAsync<SiloUnavailableException>(
            () => _client.Transport.SendRequestAsync(stale, FakeMessageHandler.Echo(1), Long, CancellationToken.None));

        Assert.Contains(stale.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _server.Handler.Calls);
    }

    [Fact]
    public async Task A_probe_is_answered_by_the_transport()
    {
        await _client.Transport.ProbeAsync(_server.Address, Long, CancellationToken.None);
        await _client.Transport.ProbeAsync(_server.Address, Long, CancellationToken.None);

        Assert.Equal(0, _server.Handler.Calls);
        Assert.Equal(1, _client.Transport.OpenConnectionCount);
    }

    [Fact]
    public async Task A_probe_to_a_closed_port_is_refused()
    {
        var nobody = new SiloAddress("127.0.0.1", TestTransport.FreePort(), 1);

        var error = await Assert.ThrowsAsync<ProbeFailedException>(() => _client.Transport.ProbeAsync(nobody, Long, CancellationToken.None));

        Assert.True(error.Refused);
    }

    [Fact]
    public async Task A_probe_answered_by_another_generation_is_a_definite_failure()
    {
        var stale = _server.Address with { Generation = _server.Address.Generation - 1 };

        var error = await Assert.ThrowsAsync<ProbeFailedException>(() => _client.Transport.ProbeAsync(stale, Long, CancellationToken.None));

        Assert.True(error.Refused);
    }

    [Fact]
    public async Task A_call_to_a_closed_port_fails_with_SiloUnavailableException_naming_the_silo()
    {
        var nobody = new SiloAddress("127.0.0.1", TestTransport.FreePort(), 7);

        var error = await Assert.ThrowsAsync<SiloUnavailableException>(
            () => _client.Transport.SendRequestAsync(nobody, FakeMessageHandler.Echo(1), Long, CancellationToken.None));

        Assert.Contains(nobody.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisconnectFrom_fails_pending_calls_at_once_and_refuses_new_ones()
    {
        var pending = _client.Transport.SendRequestAsync(_server.Address, FakeMessageHandler.Call("hang"), Long, CancellationToken.None);
        await Eventually.True(() => _server.Handler.Calls == 1, "the server handles the call");

        _client.Transport.DisconnectFrom(_server.Address);

        var error = await Assert.ThrowsAsync<SiloUnavailableException>(() => pending);
        Assert.Contains(_server.Address.ToString(), error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<SiloUnavailableException>(
            () => _client.Transport.SendRequestAsync(_server.Address, FakeMessageHandler.Echo(1), Long, CancellationToken.None));
        await Assert.ThrowsAsync<ProbeFailedException>(() => _client.Transport.ProbeAsync(_server.Address, Long, CancellationToken.None));
        Assert.Equal(0, _client.Transport.OpenConnectionCount);
    }

    [Fact]
    public async Task DisconnectFrom_on_the_receiving_side_drops_and_refuses_the_dead_silos_connections()
    {
        var pending = _client.Transport.SendRequestAsync(_server.Address, FakeMessageHandler.Call("hang"), Long, CancellationToken.None);
        await Eventually.True(() => _server.Handler.Calls == 1, "the server handles the call");

        _server.Transport.DisconnectFrom(_client.Address);

        await Assert.ThrowsAsync<SiloUnavailableException>(() => pending);
        await Assert.ThrowsAsync<SiloUnavailableException>(
            () => _client.Transport.SendRequestAsync(_server.Address, FakeMessageHandler.Echo(1), Long, CancellationToken.None));
        await Eventually.True(() => _server.Logs.Contains(Microsoft.Extensions.Logging.LogLevel.Warning, "was declared dead"), "the refusal is logged");
    }

    [Fact]
    public async Task Stopping_the_server_fails_pending_calls_with_SiloUnavailableException()
    {
        var pending = _client.Transport.SendRequestAsync(_server.Address, FakeMessageHandler.Call("hang"), Long, CancellationToken.None);
        await Eventually.True(() => _server.Handler.Calls == 1, "the server handles the call");

        await _server.Transport.StopAsync(CancellationToken.None);

        var error = await Assert.ThrowsAsync<SiloUnavailableException>(() => pending);
        Assert.Contains(_server.Address.ToString(), error.Message, StringComparison.Ordinal);
        await Eventually.True(() => _client.Transport.OpenConnectionCount == 0, "the client drops the connection");
        var probe = await Assert.ThrowsAsync<ProbeFailedException>(() => _client.Transport.ProbeAsync(_server.Address, Long, CancellationToken.None));
        Assert.True(probe.Refused);
    }

    [Fact]
    public async Task Stopping_the_caller_fails_its_pending_calls_with_SiloUnavailableException()
    {
        var pending = _client.Transport.SendRequestAsync(_server.Address, FakeMessageHandler.Call("hang"), Long, CancellationToken.None);
        await Eventually.True(() => _server.Handler.Calls == 1, "the server handles the call");

        await _client.Transport.StopAsync(CancellationToken.None);

        await Assert.ThrowsAsync<SiloUnavailableException>(() => pending);
        await Assert.ThrowsAsync<SiloUnavailableException>(
            () => _client.Transport.SendRequestAsync(_server.Address, FakeMessageHandler.Echo(1), Long, CancellationToken.None));
    }

    [Fact]
    public async Task A_call_without_an_answer_times_out_and_the_connection_stays_usable()
    {
        await Assert.ThrowsAsync<GrainCallTimeoutException>(
            () => _client.Transport.SendRequestAsync(_server.Address, FakeMessageHandler.Call("hang"), TimeSpan.FromMilliseconds(100), CancellationToken.None));

        var response = await _client.Transport.SendRequestAsync(_server.Address, FakeMessageHandler.Echo(5), Long, CancellationToken.None);
        Assert.Equal(5, response.Body!.Value.GetInt32());
        Assert.Equal(1, _client.Transport.OpenConnectionCount);
    }

    [Fact]
    public async Task Cancelling_a_call_throws_OperationCanceledException()
    {
        using var cancellation = new CancellationTokenSource();
        var pending = _client.Transport.SendRequestAsync(_server.Address, FakeMessageHandler.Call("hang"), Long, cancellation.Token);
        await Eventually.True(() => _server.Handler.Calls == 1, "the server handles the call");

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
    }

    [Fact]
    public async Task A_request_larger_than_MaxFrameBytes_fails_alone()
    {
        var options = new MessagingOptions { MaxFrameBytes = 1024 };
        await using var server = await TestTransport.StartAsync(options);
        await using var client = await TestTransport.StartAsync(options);
        var big = FakeMessageHandler.Call("echo");
        big.Body = JsonSerializer.SerializeToElement(new string('x', 2000));

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => client.Transport.SendRequestAsync(server.Address, big, Long, CancellationToken.None));

        var response = await client.Transport.SendRequestAsync(server.Address, FakeMessageHandler.Echo(3), Long, CancellationToken.None);
        Assert.Equal(3, response.Body!.Value.GetInt32());
    }

    [Fact]
    public async Task Large_frames_up_to_the_maximum_travel()
    {
        var body = new string('y', 3 * 1024 * 1024);
        var request = FakeMessageHandler.Call("echo");
        request.Body = JsonSerializer.SerializeToElement(body);

        var response = await _client.Transport.SendRequestAsync(_server.Address, request, Long, CancellationToken.None);

        Assert.Equal(body, response.Body!.Value.GetString());
    }

    [Fact]
    public async Task BlockPeer_makes_probes_and_calls_time_out_and_UnblockPeer_restores_them()
    {
        await _client.Transport.ProbeAsync(_server.Address, Long, CancellationToken.None);

        _client.Transport.BlockPeer(_server.Address.Endpoint);

        var probe = await Assert.ThrowsAsync<ProbeFailedException>(
            () => _client.Transport.ProbeAsync(_server.Address, TimeSpan.FromMilliseconds(200), CancellationToken.None));
        Assert.False(probe.Refused);
        await Assert.ThrowsAsync<GrainCallTimeoutException>(
            () => _client.Transport.SendRequestAsync(_server.Address, FakeMessageHandler.Echo(1), TimeSpan.FromMilliseconds(200), CancellationToken.None));

        _client.Transport.UnblockPeer(_server.Address.Endpoint);

        await _client.Transport.ProbeAsync(_server.Address, Long, CancellationToken.None);
        var response = await _client.Transport.SendRequestAsync(_server.Address, FakeMessageHandler.Echo(2), Long, CancellationToken.None);
        Assert.Equal(2, response.Body!.Value.GetInt32());
    }

    [Fact]
    public async Task BlockPeer_drops_what_the_blocked_silo_sends()
    {
        await _client.Transport.ProbeAsync(_server.Address, Long, CancellationToken.None);

        _server.Transport.BlockPeer(_client.Address.Endpoint);

        // The client's connection was opened before the block; the server now ignores what arrives on it.
        var probe = await Assert.ThrowsAsync<ProbeFailedException>(
            () => _client.Transport.ProbeAsync(_server.Address, TimeSpan.FromMilliseconds(200), CancellationToken.None));
        Assert.False(probe.Refused);
        await Assert.ThrowsAsync<GrainCallTimeoutException>(
            () => _client.Transport.SendRequestAsync(_server.Address, FakeMessageHandler.Echo(1), TimeSpan.FromMilliseconds(200), CancellationToken.None));
        Assert.Equal(0, _server.Handler.Calls);

        _server.Transport.UnblockPeer(_client.Address.Endpoint);

        await _client.Transport.ProbeAsync(_server.Address, Long, CancellationToken.None);
    }

    [Theory]
    [InlineData(0, 4 * 1024 * 1024)]
    [InlineData(9, 4 * 1024 * 1024)]
    [InlineData(1, 1023)]
    [InlineData(1, 64 * 1024 * 1024 + 1)]
    public void Options_out_of_range_are_refused(int connectionsPerSilo, int maxFrameBytes)
    {
        var options = new MessagingOptions { ConnectionsPerSilo = connectionsPerSilo, MaxFrameBytes = maxFrameBytes };
        var silo = new LocalSilo(Options.Create(new SiloOptions { Node = "n", Port = 1 }), TimeProvider.System);

        Assert.Throws<ValidationException>(() => new SiloTransport(
            Options.Create(options), silo, new FakeMessageHandler(), TimeProvider.System, NullLoggerFactory.Instance));
    }

    [Fact]
    public async Task Binding_a_taken_port_throws_AddressInUseException()
    {
        var silo = new LocalSilo(Options.Create(new SiloOptions { Node = "n", Port = _server.EndPoint.Port }), TimeProvider.System);
        await using var other = new SiloTransport(
            Options.Create(new MessagingOptions()), silo, new FakeMessageHandler(), TimeProvider.System, NullLoggerFactory.Instance);

        await Assert.ThrowsAsync<AddressInUseException>(() => other.StartAsync(_server.EndPoint, CancellationToken.None));
    }
}
