namespace Failover.Agents.FailoverPairs;

/// <summary>Turns the witness's last reports into what <c>client failover-pairs</c> shows.</summary>
internal static class PairStatusBuilder
{
    public static FailoverPairStatus Build(string identity, PairWitness witness, TimeSpan now)
    {
        var reports = witness.Reports(now);
        var primary = reports.FirstOrDefault(r => r.Report.AgentId == PairRole.Primary).Report;
        var secondary = reports.FirstOrDefault(r => r.Report.AgentId == PairRole.Secondary).Report;
        var fresh = witness.Timeout > TimeSpan.Zero ? witness.Timeout : TimeSpan.FromSeconds(1);
        var running = reports.Where(r => r.Report.Running && r.Age < fresh).Select(r => r.Report.Node).ToList();
        return new FailoverPairStatus(
            identity,
            (primary ?? secondary) is { } any ? PairNames.Of(any.Behavior) : null,
            primary?.Node ?? secondary?.PeerNode,
            secondary?.Node ?? primary?.PeerNode,
            running.Count == 0 ? null : string.Join(",", running),
            [.. reports.Select(r => new FailoverPairView(
                r.Report.Node, PairNames.Of(r.Report.AgentId), r.Report.PeerUp, r.Report.CentralUp, PairDecisionNames.Of(r.Report.Decision),
                r.Report.Running, (long)r.Age.TotalMilliseconds))]);
    }
}
