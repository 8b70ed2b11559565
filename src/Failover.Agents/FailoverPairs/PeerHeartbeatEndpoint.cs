using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Failover.Agents.FailoverPairs;

/// <summary>
/// Receives peer heartbeats on the silo's HTTP port for every failover agent of this silo. A heartbeat signed by any
/// other key than the pair's <c>remote_serverkey</c> (or badly signed, replayed, or for another pair) is refused (403)
/// and logged, and the machine never sees it. Bodies are bounded: a heartbeat is a few hundred bytes.
/// </summary>
public static class PeerHeartbeatEndpoint
{
    public const string Path = "/failover-pairs/heartbeat";

    private const int MaxBodyBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapFailoverPairHeartbeats(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost(Path, (Func<HttpContext, Task<IResult>>)HandleAsync);
        return endpoints;
    }

    internal static string OneLine(string text)
    {
        var line = string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length > 300 ? line[..300] : line;
    }

    private static async Task<IResult> HandleAsync(HttpContext context)
    {
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PeerHeartbeatEndpoint));
        var from = $"{context.Connection.RemoteIpAddress}:{context.Connection.RemotePort}";
        if (context.Request.ContentLength is > MaxBodyBytes)
        {
            return Results.Text($"a heartbeat is at most {MaxBodyBytes} bytes", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        PeerHeartbeat? request;
        try
        {
            using var body = new MemoryStream();
            var buffer = new byte[4096];
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                if (body.Length + read > MaxBodyBytes)
                {
                    return Results.Text($"a heartbeat is at most {MaxBodyBytes} bytes", statusCode: StatusCodes.Status413PayloadTooLarge);
                }

                body.Write(buffer, 0, read);
            }

            request = JsonSerializer.Deserialize(body.GetBuffer().AsSpan(0, (int)body.Length), PairJsonContext.Default.PeerHeartbeat);
        }
        catch (JsonException exception)
        {
            return Results.Text($"not a heartbeat: {OneLine(exception.Message)}", statusCode: StatusCodes.Status400BadRequest);
        }

        if (request is null)
        {
            return Results.Text("a heartbeat needs a body", statusCode: StatusCodes.Status400BadRequest);
        }

        if (context.RequestServices.GetService<FailoverPairAgents>()?.Find(request.Identity) is not { } agent)
        {
            FailoverPairsLog.HeartbeatRejected(logger, request.Identity, from, "this silo has no failover agent for that identity");
            return Results.Text($"no failover agent for '{request.Identity}' on this silo", statusCode: StatusCodes.Status404NotFound);
        }

        var problem = request.Echo is not null ? "a request must not carry an echo" : PeerHeartbeatCheck.Problem(request, agent.Config, expectedEcho: null);
        if (problem is not null)
        {
            FailoverPairsLog.HeartbeatRejected(logger, request.Identity, from, problem);
            agent.Record("heartbeat-rejected", $"from {from}: {problem}");
            return Results.Text($"heartbeat rejected: {problem}", statusCode: StatusCodes.Status403Forbidden);
        }

        try
        {
            var answer = await agent.OnPeerHeartbeatAsync(request, context.RequestAborted);
            return Results.Json(answer, PairJsonContext.Default.PeerHeartbeat);
        }
        catch (InvalidOperationException exception)
        {
            return Results.Text(exception.Message, statusCode: StatusCodes.Status409Conflict);
        }
    }
}
