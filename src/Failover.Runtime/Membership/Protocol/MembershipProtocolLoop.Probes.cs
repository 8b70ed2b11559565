namespace Failover.Runtime.Membership.Protocol;

internal sealed partial class MembershipProtocolLoop
{
    private enum ProbeOutcome
    {
        Answered,
        Missed,
        Refused,
    }

    private async Task ProbeActivePeersAsync(MembershipSnapshot snapshot, SiloAddress self, CancellationToken cancellationToken)
    {
        var targets = snapshot.Entries
            .Where(e => e.Status == SiloStatus.Active && e.Address != self)
            .Select(e => e.Address)
            .ToList();
        foreach (var gone in _probes.Keys.Except(targets).ToList())
        {
            _probes.Remove(gone);
        }

        var outcomes = await Task.WhenAll(targets.Select(t => ProbeAsync(t, cancellationToken)));
        for (var i = 0; i < targets.Count; i++)
        {
            var record = _probes.GetValueOrDefault(targets[i], ProbeRecord.Healthy);
            _probes[targets[i]] = outcomes[i] switch
            {
                ProbeOutcome.Answered => ProbeRecord.Healthy,
                ProbeOutcome.Refused => record.Failed(refused: true),
                _ => record.Failed(refused: false),
            };
        }
    }

    private async Task<ProbeOutcome> ProbeAsync(SiloAddress target, CancellationToken cancellationToken)
    {
        var timeout = _options.ProbeTimeout;
        Task? probe = null;
        try
        {
            probe = _probeSender.ProbeAsync(target, timeout, cancellationToken);

            // The sender owns the timeout; this cap only keeps a sender that ignores it from stalling the round,
            // and with it the lease-expiry decisions.
            await probe.WaitAsync(timeout * 2, _timeProvider, cancellationToken);
            return ProbeOutcome.Answered;
        }
        catch (ProbeFailedException exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogProbeFailed(target, exception.Refused, exception.Message);
            return exception.Refused ? ProbeOutcome.Refused : ProbeOutcome.Missed;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            if (probe is { IsCompleted: false })
            {
                // Observe the abandoned probe's eventual failure.
                _ = probe.ContinueWith(
                    static t => _ = t.Exception,
                    CancellationToken.None,
                    TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }

            LogProbeFailed(target, false, exception.Message);
            return ProbeOutcome.Missed;
        }
    }
}
