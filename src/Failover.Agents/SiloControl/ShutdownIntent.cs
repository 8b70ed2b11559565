namespace Failover.Agents.SiloControl;

/// <summary>How this silo is being stopped: normally (the default), or with a fail-over as if it had crashed.</summary>
public sealed class ShutdownIntent
{
    private volatile bool _failOver;

    public bool FailOver => _failOver;

    public void RequestFailOver() => _failOver = true;
}
