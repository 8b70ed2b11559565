using Failover.Runtime.Grains;
using Failover.Runtime.Invocation;
using Failover.Runtime.Messaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Failover.Runtime.Client;

/// <summary>
/// Calls grains from outside the cluster through one gateway silo at a time. When the gateway goes away, pending
/// calls fail with <see cref="SiloUnavailableException"/> and the next call connects to another gateway. Calls are
/// never retried behind the caller's back: whether a failed call ran is for the caller to decide.
/// </summary>
public sealed partial class ClusterClient : IGrainFactory, IAsyncDisposable
{
    private readonly ClusterClientOptions _options;
    private readonly GatewayList _gateways;
    private readonly Invoker _invoker;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _connectGate = new(1, 1);
    private GatewayConnection? _connection;

    private ClusterClient(ClusterClientOptions options, ILoggerFactory loggerFactory)
    {
        _options = options;
        _gateways = new GatewayList(options);
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<ClusterClient>();
        _invoker = new Invoker(this, new CallSerializer(options.SerializerOptions));
    }

    /// <summary>The gateway silo the client is connected to now, if any.</summary>
    public string? Gateway => _connection?.Silo.ToString();

    public static async Task<ClusterClient> ConnectAsync(ClusterClientOptions options, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        var client = new ClusterClient(options, loggerFactory ?? NullLoggerFactory.Instance);
        try
        {
            await client.GetConnectionAsync(cancellationToken);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    public TGrainInterface GetGrain<TGrainInterface>(string key)
        where TGrainInterface : IGrainWithStringKey
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return GrainProxy.Create<TGrainInterface>(new GrainId($"@{typeof(TGrainInterface).FullName}", key), _invoker);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        await _gateways.DisposeAsync();
        _connectGate.Dispose();
    }

    private async Task<Message> SendAsync(Message request)
    {
        var connection = await GetConnectionAsync(CancellationToken.None);
        try
        {
            return await connection.SendRequestAsync(request, _options.ResponseTimeout, CancellationToken.None);
        }
        catch (SiloUnavailableException)
        {
            Interlocked.CompareExchange(ref _connection, null, connection);
            throw;
        }
    }

    private async Task<GatewayConnection> GetConnectionAsync(CancellationToken cancellationToken)
    {
        if (_connection is { Closed.IsCompleted: false } current)
        {
            return current;
        }

        await _connectGate.WaitAsync(cancellationToken);
        try
        {
            if (_connection is { Closed.IsCompleted: false } connected)
            {
                return connected;
            }

            if (_connection is not null)
            {
                await _connection.DisposeAsync();
                _connection = null;
            }

            var failures = new List<string>();
            foreach (var gateway in await _gateways.GetAsync(cancellationToken))
            {
                try
                {
                    _connection = await GatewayConnection.ConnectAsync(gateway, _options.ClusterId, _options.ClientId, _options.Messaging, _loggerFactory, cancellationToken);
                    LogConnected(_connection.Silo);
                    return _connection;
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    failures.Add($"{gateway}: {exception.Message}");
                }
            }

            throw new SiloUnavailableException(failures.Count == 0
                ? $"No gateway is available in cluster '{_options.ClusterId}' (no Active silo with a proxy port)."
                : $"No gateway of cluster '{_options.ClusterId}' could be reached: {string.Join("; ", failures)}");
        }
        finally
        {
            _connectGate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to gateway {Gateway}")]
    private partial void LogConnected(Membership.SiloAddress gateway);

    private sealed class Invoker(ClusterClient client, CallSerializer serializer) : IGrainCallInvoker
    {
        public async Task InvokeAsync(GrainId target, VoidGrainMethod method, object?[] arguments) =>
            Check(await client.SendAsync(Request(target, method, arguments)), target);

        public async Task<T> InvokeAsync<T>(GrainId target, TypedGrainMethod<T> method, object?[] arguments)
        {
            var response = await client.SendAsync(Request(target, method, arguments));
            Check(response, target);
            return serializer.DeserializeResult<T>(response.Body);
        }

        private Message Request(GrainId target, GrainMethod method, object?[] arguments) => new()
        {
            Kind = MessageKind.Request,
            Target = target.ToString(),
            Method = method.Key,
            Body = serializer.SerializeArguments(method, arguments),
        };

        private static void Check(Message response, GrainId target)
        {
            switch (response.Status)
            {
                case ResponseStatus.Ok:
                    return;
                case ResponseStatus.Exception:
                    throw RemoteExceptions.Rebuild(response.ExceptionType, response.ExceptionMessage);
                case ResponseStatus.SiloUnavailable:
                    throw new SiloUnavailableException($"The gateway could not run the call to {target}: {response.ExceptionMessage}");
                default:
                    throw new GrainCallException($"The call to {target} was rejected: {response.ExceptionMessage}");
            }
        }
    }
}
