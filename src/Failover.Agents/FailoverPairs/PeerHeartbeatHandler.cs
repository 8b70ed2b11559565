using System.Text.Json;
using Failover.Runtime.Messaging;
using Microsoft.Extensions.Logging;

namespace Failover.Agents.FailoverPairs;

/// <summary>
/// Receives peer heartbeats (<see cref="PeerHeartbeat.Method"/>) for every failover agent of this silo. A heartbeat
/// signed by any other key than the pair's <c>remote_serverkey</c> (or badly signed, or for another pair) is rejected
/// and logged, and the machine never sees it.
/// </summary>
internal sealed class PeerHeartbeatHandler(FailoverPairAgents agents, ILogger<PeerHeartbeatHandler> logger) : ISystemRequestHandler
{
    public string Method => PeerHeartbeat.Method;

    public async ValueTask<JsonElement?> HandleAsync(JsonElement? body, RemotePeer from, CancellationToken cancellationToken)
    {
        var request = body?.Deserialize(PairJsonContext.Default.PeerHeartbeat) ?? throw new ArgumentException("a heartbeat needs a body");
        if (agents.Find(request.Identity) is not { } agent)
        {
            FailoverPairsLog.HeartbeatRejected(logger, request.Identity, from.RemoteEndPoint, "this silo has no failover agent for that identity");
            throw new InvalidOperationException($"no failover agent for '{request.Identity}' on this silo");
        }

        var problem = request.Echo is not null ? "a request must not carry an echo" : PeerHeartbeatCheck.Problem(request, agent.Config, expectedEcho: null);
        if (problem is not null)
        {
            FailoverPairsLog.HeartbeatRejected(logger, request.Identity, from.RemoteEndPoint, problem);
            agent.Record("heartbeat-rejected", $"from {from.RemoteEndPoint}: {problem}");
            throw new UnauthorizedAccessException($"heartbeat rejected: {problem}");
        }

        var answer = await agent.OnPeerHeartbeatAsync(request, cancellationToken);
        return JsonSerializer.SerializeToElement(answer, PairJsonContext.Default.PeerHeartbeat);
    }
}
