using Failover.Runtime.Hosting;
using Failover.Runtime.Membership;

namespace Failover.Silo;

/// <summary>The silo's HTTP surface: liveness for operators and the membership table for scripts.</summary>
internal static class SiloEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/healthz", (SiloHealth health) =>
            Results.Json(health.Report(), MemberViewJsonContext.Default.SiloHealthReport));

        app.MapGet("/api/members", async (IMembershipTable table, CancellationToken cancellationToken) =>
            Results.Json(MemberView.From(await table.ReadAllAsync(cancellationToken)), MemberViewJsonContext.Default.IReadOnlyListMemberView));
    }
}
