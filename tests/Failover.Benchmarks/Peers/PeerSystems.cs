using Failover.Benchmarks.Peers.Failover;

namespace Failover.Benchmarks.Peers;

/// <summary>The systems of the comparison, ours first: each with the configurations it is measured in.</summary>
internal static class PeerSystems
{
    public sealed record Entry(string Name, string Configuration, PeerSystemFactory Create);

    public static IReadOnlyList<Entry> All { get; } =
    [
        new("failover", PeerNodeArguments.Defaults, FailoverPeer.CreateAsync),
        new("quartz", PeerNodeArguments.Defaults, Quartz.QuartzPeer.CreateAsync),
        new("quartz", PeerNodeArguments.Tuned, Quartz.QuartzPeer.CreateAsync),
        new("hangfire", PeerNodeArguments.Defaults, Hangfire.HangfirePeer.CreateAsync),
        new("hangfire", PeerNodeArguments.Tuned, Hangfire.HangfirePeer.CreateAsync),
    ];
}
