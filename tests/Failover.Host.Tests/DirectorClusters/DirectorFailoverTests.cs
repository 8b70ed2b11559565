using Failover.Agents.DirectorClusters;
using Failover.Host.Tests.Faults;
using Orleans.Runtime;
using Xunit.Abstractions;

namespace Failover.Host.Tests.DirectorClusters;

/// <summary>
/// Director agent clusters with three real silo processes: node-a (primary), node-b (secondary), node-c (the witness).
/// Fail-over on kill -9, none on a normal stop, switch-over both ways, confirm-loss, required confirmation.
/// </summary>
[Collection(SiloProcessCollection.Name)]
public sealed class DirectorFailoverTests(ITestOutputHelper output)
{
    private static readonly string[] s_nodes = ["node-a", "node-b", "node-c"];

    [Theory]
    [InlineData(FaultDatabase.PostgreSql)]
    [InlineData(FaultDatabase.Sqlite)]
    public async Task Kill_9_of_the_active_directors_silo_makes_the_standby_active_with_the_next_epoch(string databaseKind)
    {
        await using var agents = await DirectorHarness.StartCoupledAsync(databaseKind, output, DirectorHarness.Topology());
        var (cluster, database, coupled) = (agents.Cluster, agents.Database, agents.Coupled);

        cluster["node-a"].Kill();

        var failedOver = await agents.WaitForStateAsync("FailedOver", "secondary");
        Assert.Equal(coupled.Epoch + 1, failedOver.Epoch);
        Assert.Equal("node-b", failedOver.ActiveNode);
        await agents.WaitForActingAsync("node-b", coupled.Epoch + 1);
        var events = await agents.EventsAsync();
        Assert.Contains(events, e => e.Kind == DirectorEventKinds.FailedOver && e.Detail.Contains("lost primary", StringComparison.Ordinal));
        Assert.DoesNotContain("node-c", cluster["node-c"].Log.Split('\n').Where(l => l.Contains("ACTING", StringComparison.Ordinal)));

        // The old active comes back as standby and couples again.
        await cluster.RestartAsync("node-a");
        var recoupled = await agents.WaitForStateAsync("Coupled", "secondary");
        Assert.Equal(coupled.Epoch + 1, recoupled.Epoch);
        Assert.False(agents.LoggedActing("node-a", coupled.Epoch + 1));
    }

    [Fact]
    public async Task A_normal_stop_of_the_active_is_no_fail_over_and_the_active_resumes_on_restart()
    {
        await using var agents = await DirectorHarness.StartCoupledAsync(FaultDatabase.PostgreSql, output, DirectorHarness.Topology());
        var (cluster, database, coupled) = (agents.Cluster, agents.Database, agents.Coupled);

        cluster["node-a"].Terminate();
        Assert.Equal(0, await cluster.WaitForExitAsync(cluster["node-a"]));
        var shutDown = await agents.WaitForStateAsync("ActiveShutDown", "primary");
        Assert.Equal(coupled.Epoch, shutDown.Epoch);

        await cluster.RestartAsync("node-a");
        var resumed = await agents.WaitForStateAsync("Coupled", "primary");
        Assert.Equal(coupled.Epoch + 1, resumed.Epoch);
        await agents.WaitForActingAsync("node-a", resumed.Epoch);

        // The standby never acted, and no fail-over was recorded.
        Assert.DoesNotContain("ACTING as active", cluster["node-b"].Log, StringComparison.Ordinal);
        var kinds = (await agents.EventsAsync()).Select(e => e.Kind).ToList();
        Assert.Contains(DirectorEventKinds.ShutDown, kinds);
        Assert.DoesNotContain(DirectorEventKinds.FailedOver, kinds);
    }

    [Fact]
    public async Task Silo_stop_with_fail_over_fails_over_like_a_crash_and_without_it_does_not()
    {
        await using var agents = await DirectorHarness.StartCoupledAsync(FaultDatabase.PostgreSql, output, DirectorHarness.Topology());
        var (cluster, database, coupled) = (agents.Cluster, agents.Database, agents.Coupled);

        var (exitCode, stdout, stderr) = await Programs.RunSiloToExitAsync(
            "stop", "--node", "node-a", "--fail-over", "--database", database.Setting, "--cluster-id", database.ClusterId);
        Assert.True(exitCode == 0, stderr);
        Assert.Contains("is stopping with fail-over", stdout, StringComparison.Ordinal);
        Assert.Equal(0, await cluster.WaitForExitAsync(cluster["node-a"]));

        var failedOver = await agents.WaitForStateAsync("FailedOver", "secondary");
        Assert.Equal(coupled.Epoch + 1, failedOver.Epoch);
        await agents.WaitForActingAsync("node-b", failedOver.Epoch);
        Assert.Contains("Director agent-1/primary stopped (fail-over requested: True)", cluster["node-a"].Log, StringComparison.Ordinal);

        (exitCode, _, stderr) = await Programs.RunSiloToExitAsync(
            "stop", "--node", "node-z", "--database", database.Setting, "--cluster-id", database.ClusterId);
        Assert.Equal(1, exitCode);
        Assert.Contains("node 'node-z' has no Active silo", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Switch_over_swaps_the_roles_and_back_and_is_refused_with_a_reason_when_not_coupled()
    {
        await using var agents = await DirectorHarness.StartCoupledAsync(FaultDatabase.PostgreSql, output, DirectorHarness.Topology());
        var (cluster, database, coupled) = (agents.Cluster, agents.Database, agents.Coupled);

        var (exitCode, stdout, stderr) = await RunClientAsync(database, "switch-over", DirectorHarness.Agent);
        Assert.True(exitCode == 0, stderr);
        Assert.Contains("switch-over from primary to secondary", stdout, StringComparison.Ordinal);
        var switched = await agents.WaitForViewAsync(v => v is { Active: "secondary", Coupled: true }, "secondary active and coupled again");
        Assert.True(switched.Epoch > coupled.Epoch);
        await agents.WaitForActingAsync("node-b", switched.Epoch);
        Assert.Contains("Director agent-1/primary no longer acting as active", cluster["node-a"].Log, StringComparison.Ordinal);

        (exitCode, stdout, stderr) = await RunClientAsync(database, "switch-over", DirectorHarness.Agent, "--json");
        Assert.True(exitCode == 0, stderr);
        var answer = System.Text.Json.JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("switch-over", answer.GetProperty("command").GetString());
        Assert.Equal(DirectorHarness.Agent, answer.GetProperty("agent").GetString());
        Assert.True(answer.GetProperty("accepted").GetBoolean());
        Assert.Contains("switch-over from secondary to primary", answer.GetProperty("message").GetString(), StringComparison.Ordinal);
        var back = await agents.WaitForViewAsync(v => v is { Active: "primary", Coupled: true }, "primary active and coupled again");
        Assert.True(back.Epoch > switched.Epoch);
        await agents.WaitForActingAsync("node-a", back.Epoch);
        Assert.Contains((await agents.EventsAsync()).Select(e => e.Kind), k => k == DirectorEventKinds.SwitchedOver);

        (exitCode, _, stderr) = await RunClientAsync(database, "switch-over", "agent-9");
        Assert.Equal(2, exitCode);
        Assert.Contains("there is no agent cluster 'agent-9' in the topology (known: agent-1)", stderr, StringComparison.Ordinal);

        // Standby gone: not Coupled, so a switch-over is refused with the state named.
        cluster["node-b"].Kill();
        await agents.WaitForStateAsync("PassiveLost", "primary");
        (exitCode, stdout, stderr) = await RunClientAsync(database, "--json", "switch-over", DirectorHarness.Agent);
        Assert.Equal(1, exitCode);
        Assert.Contains("refused: agent-1 is PassiveLost, not Coupled", stderr, StringComparison.Ordinal);
        var refused = System.Text.Json.JsonDocument.Parse(stdout).RootElement;
        Assert.False(refused.GetProperty("accepted").GetBoolean());
        Assert.Contains("agent-1 is PassiveLost, not Coupled", refused.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_the_witness_and_the_surviving_director_restart_together_a_user_confirms_the_loss()
    {
        await using var agents = await DirectorHarness.StartCoupledAsync(FaultDatabase.PostgreSql, output, DirectorHarness.Topology());
        var (cluster, database, coupled) = (agents.Cluster, agents.Database, agents.Coupled);
        await agents.DisconnectAsync();

        // The active's node is lost for good; the witness's silo and the standby's silo crash and come back together.
        foreach (var node in s_nodes)
        {
            cluster[node].Kill();
            await cluster.WaitForExitAsync(cluster[node]);
        }

        await Task.WhenAll(cluster.RestartAsync("node-b"), cluster.RestartAsync("node-c"));

        // The restarted standby was never coupled with the lost active: the witness cannot decide.
        var undecided = await agents.WaitForStateAsync("NodeLossNotConfirmed", "primary");
        Assert.Equal(coupled.Epoch, undecided.Epoch);
        Assert.DoesNotContain("ACTING as active", cluster["node-b"].Log, StringComparison.Ordinal);

        var (exitCode, _, stderr) = await RunClientAsync(database, "confirm-loss", DirectorHarness.Agent, "secondary");
        Assert.Equal(1, exitCode);
        Assert.Contains("secondary is heartbeating", stderr, StringComparison.Ordinal);

        (exitCode, var stdout, stderr) = await RunClientAsync(database, "confirm-loss", DirectorHarness.Agent, "primary");
        Assert.True(exitCode == 0, stderr);
        Assert.Contains("loss of primary confirmed", stdout, StringComparison.Ordinal);
        var failedOver = await agents.WaitForStateAsync("FailedOver", "secondary");
        Assert.True(failedOver.Epoch > coupled.Epoch);
        await agents.WaitForActingAsync("node-b", failedOver.Epoch);
        var kinds = (await agents.EventsAsync()).Select(e => e.Kind).ToList();
        Assert.Contains(DirectorEventKinds.NodeLossNotConfirmed, kinds);
        Assert.Contains(DirectorEventKinds.LossConfirmed, kinds);
    }

    [Fact]
    public async Task With_required_confirmation_a_kill_waits_for_the_user_before_failing_over()
    {
        await using var agents = await DirectorHarness.StartCoupledAsync(FaultDatabase.PostgreSql, output, DirectorHarness.Topology(requireConfirmation: true));
        var (cluster, database, coupled) = (agents.Cluster, agents.Database, agents.Coupled);

        var (exitCode, _, stderr) = await RunClientAsync(database, "confirm-loss", DirectorHarness.Agent, "primary");
        Assert.Equal(1, exitCode);
        Assert.Contains("only accepted in NodeLossNotConfirmed", stderr, StringComparison.Ordinal);

        cluster["node-a"].Kill();
        await cluster.WaitForStatusAsync("node-a", SiloStatus.Dead);
        var waiting = await agents.WaitForStateAsync("NodeLossNotConfirmed", "primary");
        Assert.Equal(coupled.Epoch, waiting.Epoch);
        Assert.DoesNotContain("ACTING as active", cluster["node-b"].Log, StringComparison.Ordinal);

        (exitCode, _, stderr) = await RunClientAsync(database, "confirm-loss", DirectorHarness.Agent, "primary");
        Assert.True(exitCode == 0, stderr);
        var failedOver = await agents.WaitForStateAsync("FailedOver", "secondary");
        Assert.Equal(coupled.Epoch + 1, failedOver.Epoch);
        await agents.WaitForActingAsync("node-b", failedOver.Epoch);
    }

    [Fact]
    public async Task The_active_stops_acting_when_it_cannot_reach_its_witness_and_acts_again_once_the_witness_moved()
    {
        await using var agents = await DirectorHarness.StartCoupledAsync(FaultDatabase.PostgreSql, output, DirectorHarness.Topology());
        var (cluster, database, coupled) = (agents.Cluster, agents.Database, agents.Coupled);
        await agents.DisconnectAsync();

        // SIGSTOP the witness's silo: no answers, so the active's lease runs out.
        cluster["node-c"].Pause();
        await cluster.WaitUntilAsync(
            () => Task.FromResult(cluster["node-a"].Log.Contains("Director agent-1/primary no longer acting as active", StringComparison.Ordinal)),
            "node-a stops acting without its witness");

        // node-c is declared Dead; the witness re-activates on a director node (no other silo is left) and the
        // primary, still the same incarnation with the same record, acts again.
        await cluster.WaitForStatusAsync("node-c", SiloStatus.Dead);
        await cluster.WaitUntilAsync(
            () => Task.FromResult(cluster["node-a"].Log.Split('\n').Count(l => l.Contains("ACTING as active", StringComparison.Ordinal)) >= 2),
            "node-a acts again once the witness answers from its new silo");
        Assert.DoesNotContain("ACTING as active", cluster["node-b"].Log, StringComparison.Ordinal);
        cluster["node-c"].Resume();
    }

    [Fact]
    public async Task Changed_settings_reach_the_running_witness_without_a_restart()
    {
        await using var agents = await DirectorHarness.StartCoupledAsync(FaultDatabase.PostgreSql, output, DirectorHarness.Topology());
        var cluster = agents.Cluster;

        Assert.False((await agents.ApplyAsync(DirectorHarness.Topology())).Changed);
        var changed = await agents.ApplyAsync(DirectorHarness.Topology(heartbeatTimeout: "2s"));
        Assert.True(changed.Changed);
        Assert.Contains("agent cluster agent-1: heartbeatTimeout 1s -> 2s", changed.Changes);
        await cluster.WaitUntilAsync(
            () => Task.FromResult(cluster["node-c"].Log.Contains("Director cluster agent-1: heartbeat 250 ms, timeout 2000 ms", StringComparison.Ordinal)),
            "the witness on node-c runs with the new timeout");
        await agents.WaitForStateAsync("Coupled", "primary");
    }

    private static Task<(int ExitCode, string Output, string Error)> RunClientAsync(FaultDatabase database, params string[] command) =>
        Programs.RunClientAsync(["--database", database.Setting, "--cluster-id", database.ClusterId, "--service-id", database.ServiceId, .. command]);
}
