using Orleans.Runtime;
namespace Failover.Storage.Membership;

/// <summary>One membership row as operators and scripts see it (<c>client members --json</c>, <c>GET /api/members</c>).</summary>
public sealed record MemberView(
    string SiloName,
    string HostName,
    string Address,
    int Port,
    int Generation,
    string Status,
    int StatusCode,
    int ProxyPort,
    DateTime StartTime,
    DateTime IAmAliveTime,
    long IAmAliveAgeMs,
    IReadOnlyList<SuspectVoteView> SuspectTimes)
{
    public string SiloAddress => $"{Address}:{Port}@{Generation}";

    public static IReadOnlyList<MemberView> From(MembershipRows snapshot) =>
        [.. snapshot.Entries
            .OrderBy(e => e.Status == SiloStatus.Dead)
            .ThenBy(e => e.SiloName, StringComparer.Ordinal)
            .ThenByDescending(e => e.Address.Generation)
            .Select(e => new MemberView(
                e.SiloName,
                e.HostName,
                e.Address.Endpoint.Address.ToString(),
                e.Address.Endpoint.Port,
                e.Address.Generation,
                e.Status.ToString(),
                (int)e.Status,
                e.ProxyPort,
                e.StartTime,
                e.IAmAliveTime,
                (long)Math.Max(0, (snapshot.DatabaseTime - e.IAmAliveTime).TotalMilliseconds),
                [.. e.SuspectTimes.Select(v => new SuspectVoteView(v.Voter.ToParsableString(), v.Time))]))];
}

public sealed record SuspectVoteView(string Voter, DateTime Time);
