using Failover.Runtime.Configuration;
using Failover.Runtime.Membership;
using Failover.Runtime.Membership.Protocol;

namespace Failover.Runtime.Tests.MembershipProtocol;

/// <summary>Silos, rows and snapshots for the decision tests; every time is relative to one database instant.</summary>
internal static class MembershipFixtures
{
    public static readonly DateTime DbNow = new(2025, 6, 1, 12, 0, 0, DateTimeKind.Utc);

    public static readonly SiloAddress Me = Silo(1);
    public static readonly SiloAddress A = Silo(2);
    public static readonly SiloAddress B = Silo(3);
    public static readonly SiloAddress C = Silo(4);

    public static SiloAddress Silo(int n) => new($"10.0.0.{n}", 11111, 100_000);

    public static MembershipEntry Row(SiloAddress address, SiloStatus status = SiloStatus.Active, double aliveSecondsAgo = 0, params SuspectVote[] votes) => new()
    {
        Address = address,
        SiloName = $"node-{address.Host}",
        HostName = $"host-{address.Host}",
        Status = status,
        SuspectTimes = votes,
        StartTime = DbNow.AddMinutes(-5),
        IAmAliveTime = DbNow.AddSeconds(-aliveSecondsAgo),
    };

    public static SuspectVote Vote(SiloAddress voter, double secondsAgo) => new(voter, DbNow.AddSeconds(-secondsAgo));

    public static MembershipSnapshot Snapshot(params MembershipEntry[] rows) => new(rows, 7, DbNow);

    public static IReadOnlyDictionary<SiloAddress, ProbeRecord> Probes(params (SiloAddress Silo, int Failures, bool Refused)[] records) =>
        records.ToDictionary(r => r.Silo, r => new ProbeRecord(r.Failures, r.Refused));

    public static IReadOnlyList<MembershipCommand> Decide(
        MembershipSnapshot snapshot,
        IReadOnlyDictionary<SiloAddress, ProbeRecord>? probes = null,
        LocalMembershipPhase phase = LocalMembershipPhase.Joined,
        MembershipOptions? options = null) =>
        MembershipDecisions.Decide(snapshot, Me, phase, probes ?? Probes(), options ?? new MembershipOptions());
}
