using Failover.Agents.DirectorClusters;

namespace Failover.Agents.Tests.DirectorClusters;

public sealed class DirectorLeaseTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(1);

    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    private static DirectorAssignment Active(long epoch) => new(DirectorRole.Active, epoch, DirectorClusterState.Coupled, Lease);

    private static DirectorAssignment Standby(long epoch) => new(DirectorRole.Standby, epoch, DirectorClusterState.Coupled, Lease);

    [Fact]
    public void A_new_lease_does_not_act()
    {
        var lease = new DirectorLease();
        Assert.False(lease.IsActing(Ms(0)));
        Assert.Equal(DirectorRole.Standby, lease.Acting(Ms(0)));
        Assert.Equal(0, lease.Epoch);
        Assert.Equal(TimeSpan.Zero, lease.Remaining(Ms(0)));
        Assert.Null(lease.ClusterState);
    }

    [Fact]
    public void The_acting_window_runs_from_the_send_time_for_the_granted_lease()
    {
        var lease = new DirectorLease();
        Assert.True(lease.OnAnswer(Ms(100), Active(1)));
        Assert.True(lease.IsActing(Ms(300)));
        Assert.Equal(DirectorRole.Active, lease.Acting(Ms(300)));
        Assert.Equal(Ms(800), lease.Remaining(Ms(300)));
        Assert.True(lease.IsActing(Ms(1100) - TimeSpan.FromTicks(1)));
        Assert.False(lease.IsActing(Ms(1100)));
        Assert.Equal(TimeSpan.Zero, lease.Remaining(Ms(1100)));
        Assert.Equal(1, lease.Epoch);
        Assert.Equal(DirectorClusterState.Coupled, lease.ClusterState);
    }

    [Fact]
    public void An_answer_to_an_older_heartbeat_is_ignored()
    {
        var lease = new DirectorLease();
        lease.OnAnswer(Ms(500), Standby(1));
        Assert.False(lease.OnAnswer(Ms(400), Active(1)));
        Assert.False(lease.IsActing(Ms(600)));
        Assert.Equal(DirectorRole.Standby, lease.GrantedRole);
    }

    [Fact]
    public void An_answer_with_a_lower_epoch_is_ignored_even_when_newer()
    {
        var lease = new DirectorLease();
        lease.OnAnswer(Ms(100), Standby(3));
        Assert.False(lease.OnAnswer(Ms(200), Active(2)));
        Assert.False(lease.IsActing(Ms(300)));
        Assert.Equal(3, lease.Epoch);
    }

    [Fact]
    public void An_older_active_answer_cannot_extend_the_window()
    {
        var lease = new DirectorLease();
        lease.OnAnswer(Ms(1000), Active(1));
        Assert.False(lease.OnAnswer(Ms(900), Active(1)));
        Assert.True(lease.OnAnswer(Ms(1000), Active(1)));
        Assert.False(lease.IsActing(Ms(2000)));
    }

    [Fact]
    public void A_standby_answer_with_a_new_epoch_ends_acting_at_once()
    {
        var lease = new DirectorLease();
        lease.OnAnswer(Ms(100), Active(1));
        Assert.True(lease.OnAnswer(Ms(200), Standby(2)));
        Assert.False(lease.IsActing(Ms(250)));
        Assert.Equal(2, lease.Epoch);
    }

    [Fact]
    public void Revoke_stops_acting_and_keeps_the_epoch()
    {
        var lease = new DirectorLease();
        lease.OnAnswer(Ms(100), Active(4));
        lease.Revoke();
        Assert.False(lease.IsActing(Ms(150)));
        Assert.Equal(DirectorRole.Standby, lease.Acting(Ms(150)));
        Assert.Equal(4, lease.Epoch);
        Assert.False(lease.OnAnswer(Ms(50), Active(4)), "an answer older than the revoked one stays ignored");
        Assert.False(lease.IsActing(Ms(150)));
    }
}
