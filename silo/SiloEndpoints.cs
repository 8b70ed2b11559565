using Failover.Agents.FailoverPairs;
using Failover.Hosting;
using Failover.Storage.Membership;

namespace Failover.Silo;

/// <summary>The silo's HTTP surface: liveness for operators, the membership table for scripts, and failover pair heartbeats.</summary>
internal static class SiloEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/healthz", (SiloHealth health) => Results.Json(health.Report(), SiloJsonContext.Default.SiloHealthReport));

        app.MapGet("/api/members", async (IMembershipRows rows, CancellationToken cancellationToken) =>
            Results.Json(MemberView.From(await rows.ReadAllAsync(cancellationToken)), MemberViewJsonContext.Default.IReadOnlyListMemberView));

        app.MapFailoverPairHeartbeats();
    }
}
