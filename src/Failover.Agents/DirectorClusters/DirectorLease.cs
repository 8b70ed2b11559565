namespace Failover.Agents.DirectorClusters;

/// <summary>
/// A director instance's right to act, from the witness's answers. It acts as active only while its newest answer
/// says Active with the highest epoch it has seen, and only until the <em>send</em> time of the heartbeat that answer
/// belongs to plus the lease the answer grants (the witness's heartbeat timeout): the witness waits at least that long after it last heard the instance
/// before it gives the role to anyone else. Answers older than one already taken, or with a lower epoch, are ignored.
/// </summary>
public sealed class DirectorLease
{
    private TimeSpan _latestAnswerSentAt = TimeSpan.MinValue;
    private TimeSpan _actingUntil = TimeSpan.MinValue;

    /// <summary>The highest epoch any answer carried: the fencing token, and what the next heartbeat reports.</summary>
    public long Epoch { get; private set; }

    public DirectorRole GrantedRole { get; private set; } = DirectorRole.Standby;

    public DirectorClusterState? ClusterState { get; private set; }

    /// <summary>Takes the answer to a heartbeat sent at <paramref name="sentAt"/>; false when it was stale and ignored.</summary>
    public bool OnAnswer(TimeSpan sentAt, DirectorAssignment answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (sentAt < _latestAnswerSentAt || answer.Epoch < Epoch)
        {
            return false;
        }

        _latestAnswerSentAt = sentAt;
        Epoch = answer.Epoch;
        GrantedRole = answer.Role;
        ClusterState = answer.State;
        _actingUntil = answer.Role == DirectorRole.Active ? sentAt + answer.Lease : TimeSpan.MinValue;
        return true;
    }

    /// <summary>Stops acting at once (this instance is stopping).</summary>
    public void Revoke()
    {
        GrantedRole = DirectorRole.Standby;
        _actingUntil = TimeSpan.MinValue;
    }

    public bool IsActing(TimeSpan now) => GrantedRole == DirectorRole.Active && now < _actingUntil;

    public DirectorRole Acting(TimeSpan now) => IsActing(now) ? DirectorRole.Active : DirectorRole.Standby;

    /// <summary>How long this instance may still act, or zero.</summary>
    public TimeSpan Remaining(TimeSpan now) => IsActing(now) ? _actingUntil - now : TimeSpan.Zero;
}
