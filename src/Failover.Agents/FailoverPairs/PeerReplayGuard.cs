namespace Failover.Agents.FailoverPairs;

/// <summary>Accepts a peer's heartbeat requests only with a sequence above the last one of the same boot.</summary>
internal sealed class PeerReplayGuard
{
    private readonly Lock _gate = new();
    private string? _bootId;
    private long _sequence;

    public bool Accept(string bootId, long sequence)
    {
        lock (_gate)
        {
            if (bootId == _bootId && sequence <= _sequence)
            {
                return false;
            }

            _bootId = bootId;
            _sequence = sequence;
            return true;
        }
    }
}
