using System.Net.Http.Json;
using System.Text.Json;

namespace Failover.Agents.FailoverPairs;

/// <summary>
/// Heartbeats to the peer's silo at <c>remote_vip</c> over HTTP (<see cref="PeerHeartbeatEndpoint.Path"/> on the peer's
/// HTTP port): a channel of their own, apart from Orleans, so the pair keeps hearing each other even when the cluster's
/// membership has declared one side Dead (Orleans refuses a silo it holds Dead).
/// </summary>
internal sealed class PeerLink(FailoverAgentConfig config) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30), ConnectTimeout = TimeSpan.FromSeconds(5) })
    {
        BaseAddress = new UriBuilder(Uri.UriSchemeHttp, config.RemoteHost, config.RemotePort).Uri,
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>Sends <paramref name="request"/> and returns the peer's answer (not yet verified).</summary>
    public async Task<PeerHeartbeat> ExchangeAsync(PeerHeartbeat request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await _http.PostAsJsonAsync(PeerHeartbeatEndpoint.Path, request, PairJsonContext.Default.PeerHeartbeat, deadline.Token);
            if (!response.IsSuccessStatusCode)
            {
                var reason = await response.Content.ReadAsStringAsync(deadline.Token);
                throw new HttpRequestException($"peer answered {(int)response.StatusCode}: {PeerHeartbeatEndpoint.OneLine(reason)}");
            }

            return await response.Content.ReadFromJsonAsync(PairJsonContext.Default.PeerHeartbeat, deadline.Token)
                ?? throw new JsonException("empty heartbeat answer");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no heartbeat answer from {config.RemoteVip} within {timeout.TotalMilliseconds:0} ms");
        }
    }

    public void Dispose() => _http.Dispose();
}
