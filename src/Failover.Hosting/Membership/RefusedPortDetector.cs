using System.Net;
using Failover.Storage.Membership;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;

namespace Failover.Hosting.Membership;

/// <summary>
/// Declares Dead, without waiting for missed probes and votes, a Joining or Active silo whose process is gone. When a
/// connection between this silo and another one ends (either side may have opened it), the other silo's port is knocked on
/// twice, <see cref="RefusedPortOptions.ConfirmDelay"/> apart; if both knocks are refused and the membership table still
/// shows that silo Joining or Active, it is declared Dead.
/// A killed process's sockets are closed by its kernel at once, so its connections end at once and its port refuses:
/// fail-over starts in about a tenth of a second instead of the probes' 1–1.5 s. A paused or cut-off silo does not
/// refuse (its knocks time out): it is left to Orleans' probes, which also respect its node lease.
/// </summary>
public sealed partial class RefusedPortDetector(
    IClusterMembershipService membership,
    IMembershipRows rows,
    ILocalSiloDetails local,
    IOptions<RefusedPortOptions> options,
    TimeProvider time,
    ILogger<RefusedPortDetector> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<IPEndPoint, Task> _checks = [];
    private readonly CancellationTokenSource _stopping = new();
    private bool _running;

    public void Participate(ISiloLifecycle lifecycle)
    {
        if (options.Value.DeclareDead)
        {
            lifecycle.Subscribe(nameof(RefusedPortDetector), ServiceLifecycleStage.BecomeActive, StartAsync, StopAsync);
        }
    }

    /// <summary>Connection middleware for this silo's outbound silo connections: reports each connection's end.</summary>
    public ConnectionDelegate WatchOutbound(ConnectionDelegate next) => async context =>
    {
        try
        {
            await next(context);
        }
        finally
        {
            if (context.RemoteEndPoint is IPEndPoint endpoint)
            {
                _ = ConnectionEnded(endpoint);
            }
        }
    };

    /// <summary>
    /// Connection middleware for the silo connections other silos opened to this one (Orleans sends both ways over
    /// whichever connection a pair has). Its remote end is the other silo's ephemeral port, not its silo port, so its
    /// end checks every Joining or Active silo at that address: with one silo per host, just that one.
    /// </summary>
    public ConnectionDelegate WatchInbound(ConnectionDelegate next) => async context =>
    {
        try
        {
            await next(context);
        }
        finally
        {
            if (context.RemoteEndPoint is IPEndPoint endpoint)
            {
                var address = Normalized(endpoint).Address;
                foreach (var member in LiveSilos().Where(m => Normalized(m.SiloAddress.Endpoint).Address.Equals(address)))
                {
                    _ = ConnectionEnded(member.SiloAddress.Endpoint);
                }
            }
        }
    };

    /// <summary>
    /// Checks the silo listening on <paramref name="endpoint"/>, unless a check of it is already under way; the task ends
    /// with that check (it never faults: a failed check is logged).
    /// </summary>
    public Task ConnectionEnded(IPEndPoint endpoint)
    {
        endpoint = Normalized(endpoint);
        lock (_lock)
        {
            if (!_running)
            {
                return Task.CompletedTask;
            }

            if (!_checks.TryGetValue(endpoint, out var check))
            {
                check = CheckAndForgetAsync(endpoint);
                _checks[endpoint] = check;
            }

            return check;
        }
    }

    public void Dispose() => _stopping.Dispose();

    private Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _running = true;
        }

        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        Task[] checks;
        lock (_lock)
        {
            _running = false;
            checks = [.. _checks.Values];
        }

        await _stopping.CancelAsync();
        await Task.WhenAll(checks).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task CheckAndForgetAsync(IPEndPoint endpoint)
    {
        // Runs the check off the caller's stack: the caller is Orleans' connection loop ending.
        await Task.Yield();
        try
        {
            await CheckAsync(endpoint, _stopping.Token);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            LogCheckFailed(endpoint.ToString(), exception.Message);
        }
        finally
        {
            lock (_lock)
            {
                _checks.Remove(endpoint);
            }
        }
    }

    private async Task CheckAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        if (LiveSiloAt(endpoint) is not { } silo)
        {
            return;
        }

        if (await KnockTwiceAsync(endpoint, cancellationToken) != PortAnswer.Refused)
        {
            return;
        }

        // A silo that stops gracefully writes ShuttingDown, then Dead, before its port closes: only a Joining or Active row is a crash.
        var table = await rows.ReadAllAsync(cancellationToken);
        if (table.Entries.FirstOrDefault(row => row.Address.Equals(silo.SiloAddress)) is not { Status: SiloStatus.Joining or SiloStatus.Active } row)
        {
            return;
        }

        LogDeclaringDead(silo.SiloAddress.ToParsableString(), row.SiloName, endpoint.ToString(), options.Value.ConfirmDelay.TotalMilliseconds);
        await membership.TryKill(silo.SiloAddress);
    }

    /// <summary>
    /// Knocks on <paramref name="endpoint"/> twice, <see cref="RefusedPortOptions.ConfirmDelay"/> apart: Refused only when
    /// both were (one refusal could be a port caught between two owners; two, apart, are a port nobody owns), Accepted
    /// when either was.
    /// </summary>
    public async Task<PortAnswer> KnockTwiceAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var first = await PortKnock.KnockAsync(endpoint, settings.ConnectTimeout, cancellationToken);
        if (first != PortAnswer.Refused)
        {
            return first;
        }

        await Task.Delay(settings.ConfirmDelay, time, cancellationToken);
        return await PortKnock.KnockAsync(endpoint, settings.ConnectTimeout, cancellationToken);
    }

    private ClusterMember? LiveSiloAt(IPEndPoint endpoint) =>
        LiveSilos().FirstOrDefault(member => Normalized(member.SiloAddress.Endpoint).Equals(endpoint));

    // Joining counts: a silo listens before it joins, and one killed right after it turned Active may still be Joining in
    // this silo's snapshot when its connections end (gossip of the Active row not yet here).
    private IEnumerable<ClusterMember> LiveSilos() =>
        membership.CurrentSnapshot.Members.Values.Where(member =>
            (member.Status is SiloStatus.Joining or SiloStatus.Active) && !member.SiloAddress.Equals(local.SiloAddress));

    private static IPEndPoint Normalized(IPEndPoint endpoint) =>
        endpoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endpoint.Address.MapToIPv4(), endpoint.Port) : endpoint;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {Silo} ({Node}) refused two connections to {Endpoint}, {ConfirmMs:0} ms apart: its process is gone; declaring it Dead")]
    private partial void LogDeclaringDead(string silo, string node, string endpoint, double confirmMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checking the silo at {Endpoint} after its connection ended failed: {Reason}")]
    private partial void LogCheckFailed(string endpoint, string reason);
}
