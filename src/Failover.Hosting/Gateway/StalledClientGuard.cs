using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Failover.Hosting.Gateway;

/// <summary>
/// Connection middleware for the connections clients open to this silo's gateway. While responses wait for a client to
/// read (its connection's <see cref="GatewayConnectionOptions.WriteBufferBytes"/> are full), the client's further requests
/// are left unread; when they have waited <see cref="GatewayConnectionOptions.StallTimeout"/>, the connection is closed,
/// which frees what Orleans had queued for it.
/// </summary>
public sealed partial class StalledClientGuard(IOptions<GatewayConnectionOptions> options, TimeProvider time, ILogger<StalledClientGuard> logger)
{
    public ConnectionDelegate Guard(ConnectionDelegate next) => async context =>
    {
        var limit = options.Value.StallTimeout;
        using var stall = new OutputStall(time, limit, stalledFor => Close(context, stalledFor, limit));
        context.Transport = new StallWatchedTransport(context.Transport, stall);
        await next(context);
    };

    private void Close(ConnectionContext context, TimeSpan stalledFor, TimeSpan limit)
    {
        LogClosingStalledConnection(context.RemoteEndPoint?.ToString() ?? "(unknown)", stalledFor.TotalSeconds, limit.TotalSeconds);
        context.Abort(new ConnectionAbortedException($"the client read nothing for {stalledFor.TotalSeconds:0.#} s"));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gateway client {ClientEndpoint} has not read its responses for {StalledSeconds:0.#} s (limit {StallTimeoutSeconds:0.#} s): closing its connection")]
    private partial void LogClosingStalledConnection(string clientEndpoint, double stalledSeconds, double stallTimeoutSeconds);

    private sealed class StallWatchedTransport(IDuplexPipe inner, OutputStall stall) : IDuplexPipe
    {
        public PipeReader Input { get; } = new ReadWhileFlowingPipeReader(inner.Input, stall);

        public PipeWriter Output { get; } = new StallReportingPipeWriter(inner.Output, stall);
    }
}
