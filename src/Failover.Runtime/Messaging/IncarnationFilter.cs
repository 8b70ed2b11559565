using Failover.Runtime.Hosting;
using Failover.Runtime.Membership;

namespace Failover.Runtime.Messaging;

/// <summary>
/// Answers SiloUnavailable, without calling the handler, to requests addressed to another incarnation of this silo
/// (one that ran on this port before a restart, or one that has not started yet).
/// </summary>
internal sealed class IncarnationFilter(LocalSilo localSilo, IMessageHandler inner) : IMessageHandler
{
    // The local address may change before the silo joins, so it is re-rendered when the instance changes.
    private Rendered? _rendered;

    public ValueTask<Message> HandleRequestAsync(Message request, RemotePeer from, CancellationToken cancellationToken)
    {
        var local = Render();
        if (request.TargetSilo is { } target && !string.Equals(target, local.Text, StringComparison.Ordinal) && !IsSameIncarnation(target, local.Address))
        {
            return ValueTask.FromResult(new Message
            {
                Status = ResponseStatus.SiloUnavailable,
                ExceptionMessage = $"The request was meant for silo {target}; this is silo {local.Text}.",
            });
        }

        return inner.HandleRequestAsync(request, from, cancellationToken);
    }

    // The sender may spell the host differently (a name instead of an address); the port and generation decide.
    private static bool IsSameIncarnation(string target, SiloAddress local) =>
        SiloAddress.TryParse(target, out var address) && address.Port == local.Port && address.Generation == local.Generation;

    private Rendered Render()
    {
        var address = localSilo.Address;
        var rendered = Volatile.Read(ref _rendered);
        if (rendered is null || !ReferenceEquals(rendered.Address, address))
        {
            rendered = new Rendered(address, address.ToString());
            Volatile.Write(ref _rendered, rendered);
        }

        return rendered;
    }

    private sealed record Rendered(SiloAddress Address, string Text);
}
