using System.Collections.Concurrent;
using Failover.Runtime.Membership.Protocol;

namespace Failover.Runtime.Tests.MembershipProtocol;

internal sealed class RecordingFatalHandler : ISiloFatalHandler
{
    public ConcurrentQueue<string> Reasons { get; } = new();

    public void OnFatal(string reason) => Reasons.Enqueue(reason);
}
