namespace Failover.Runtime.Hosting;

/// <summary>
/// Test-only switches of a silo, for in-process fault tests. <see cref="Paused"/> makes the silo behave as if its
/// process were stopped (SIGSTOP) as far as the cluster can tell: no lease renewal, no probe round; the test cuts its
/// network separately. Nothing in production sets it.
/// </summary>
public sealed class FaultInjection
{
    private volatile bool _paused;

    public bool Paused
    {
        get => _paused;
        set => _paused = value;
    }
}
