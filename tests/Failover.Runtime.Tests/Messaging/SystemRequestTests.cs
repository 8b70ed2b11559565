using System.Net;
using System.Text.Json;
using Failover.Runtime.Configuration;
using Failover.Runtime.Grains;
using Failover.Runtime.Messaging;
using Failover.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Failover.Runtime.Tests.Messaging;

/// <summary>System requests: node-to-node requests that are not grain calls, sent to a silo endpoint whatever its generation.</summary>
public sealed class SystemRequestTests : IAsyncLifetime
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);
    private readonly TempDatabase _database = new();
    private TestSilo _silo = null!;

    public async Task InitializeAsync() =>
        _silo = await TestSilo.StartAsync(_database.Setting, configureServices: services =>
        {
            services.AddSingleton<ISystemRequestHandler>(new EchoHandler("system:test/echo"));
            services.AddSingleton<ISystemRequestHandler>(new FailingHandler());
        });

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        _database.Dispose();
    }

    [Fact]
    public async Task A_registered_handler_answers_with_its_body_and_sees_the_sender()
    {
        await using var connection = await ConnectAsync();

        var answer = await SystemRequests.SendAsync(connection, "system:test/echo", JsonSerializer.SerializeToElement(42), Long, CancellationToken.None);

        Assert.Equal(42, answer!.Value.GetInt32());
    }

    [Fact]
    public async Task An_unknown_system_method_is_rejected()
    {
        await using var connection = await ConnectAsync();

        var failure = await Assert.ThrowsAsync<GrainCallException>(
            () => SystemRequests.SendAsync(connection, "system:test/nothing", null, Long, CancellationToken.None));

        Assert.Contains("Rejected", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_handler_answers_with_its_exception()
    {
        await using var connection = await ConnectAsync();

        var failure = await Assert.ThrowsAsync<GrainCallException>(
            () => SystemRequests.SendAsync(connection, "system:test/fail", null, Long, CancellationToken.None));

        Assert.Contains("handler refused", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Handler_names_must_be_reserved_and_unique()
    {
        Assert.Throws<InvalidOperationException>(() => new SystemRequestHandlers([new EchoHandler("test/echo")]));
        Assert.Throws<InvalidOperationException>(() => new SystemRequestHandlers([new EchoHandler("system:a"), new EchoHandler("system:a")]));
    }

    private Task<GatewayConnection> ConnectAsync() => GatewayConnection.ConnectAsync(
        new IPEndPoint(IPAddress.Loopback, _silo.Silo.Address.Port), _silo.Silo.ClusterId, "system-request-test", new MessagingOptions(),
        NullLoggerFactory.Instance, CancellationToken.None);

    private sealed class EchoHandler(string method) : ISystemRequestHandler
    {
        public string Method => method;

        public ValueTask<JsonElement?> HandleAsync(JsonElement? body, RemotePeer from, CancellationToken cancellationToken) =>
            ValueTask.FromResult(from.Role == HandshakeRole.Client ? body : null);
    }

    private sealed class FailingHandler : ISystemRequestHandler
    {
        public string Method => "system:test/fail";

        public ValueTask<JsonElement?> HandleAsync(JsonElement? body, RemotePeer from, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("handler refused");
    }
}
