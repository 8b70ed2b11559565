using Failover.Agents;
using Failover.Agents.DirectorClusters;
using Failover.Agents.Topology;
using Failover.Hosting.Tests.Cluster;
using Failover.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Failover.Hosting.Tests;

/// <summary>
/// A director cluster's witness grain in a test cluster, with job dispatchers the test answers for
/// (<see cref="HeldWorkload"/>): a switch-over asks them what runs on the active director's node, and heartbeats must
/// not wait for that.
/// </summary>
public sealed class WitnessSwitchOverTests : IAsyncLifetime
{
    private const string Agent = "agent-1";

    // A long heartbeat timeout: the test's own heartbeats keep both instances heard however slowly it runs.
    private const string Topology = """
        { "agentClusters": [ { "id": "agent-1", "directors": { "primary": "node-a", "secondary": "node-b" },
                               "heartbeat": "250ms", "heartbeatTimeout": "1m" } ] }
        """;

    private readonly HeldWorkload _workload = new();
    private readonly AgentOptions _options = new();
    private FailoverTestCluster? _cluster;

    private IDirectorClusterGrain Witness => _cluster!.Grains(_cluster.Silos[0]).GetGrain<IDirectorClusterGrain>(Agent);

    public async Task InitializeAsync()
    {
        var topology = new TopologyView();
        topology.Update(1, TopologyParser.Parse(Topology));
        _cluster = await FailoverTestCluster.StartAsync(1, configureSilo: silo =>
        {
            silo.Services.AddSingleton(topology);
            silo.Services.AddSingleton<IDirectorWorkload>(_workload);
            silo.Services.AddSingleton(Options.Create(_options));
        });
    }

    public async Task DisposeAsync()
    {
        _workload.Answer(0);
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task Heartbeats_are_answered_while_a_switch_over_waits_for_the_job_dispatchers()
    {
        _options.SwitchOverCheckTimeout = AgentOptions.MaxSwitchOverCheckTimeout;
        var coupled = await CoupleAsync();

        var switching = Witness.SwitchOver();
        await Eventually.True(() => _workload.Asking, "the witness asks the job dispatchers");

        // The dispatchers have not answered (the test holds them), yet both directors hear from the witness.
        var primary = await Witness.Heartbeat(new DirectorHeartbeat(DirectorInstance.Primary, "p1", coupled.Epoch, DirectorRole.Active));
        var secondary = await Witness.Heartbeat(new DirectorHeartbeat(DirectorInstance.Secondary, "s1", coupled.Epoch, DirectorRole.Standby));
        Assert.True(_workload.Asking, "the heartbeats were answered while the job dispatchers were still being asked");
        Assert.Equal((DirectorRole.Active, DirectorRole.Standby), (primary.Role, secondary.Role));
        Assert.False(switching.IsCompleted);

        _workload.Answer(0);
        var outcome = await switching;

        Assert.True(outcome.Accepted, outcome.Message);
        Assert.True((await Witness.GetView()).SwitchPending);
    }

    [Fact]
    public async Task A_switch_over_whose_job_dispatchers_do_not_answer_in_time_is_refused_with_the_reason()
    {
        _options.SwitchOverCheckTimeout = TimeSpan.FromMilliseconds(500);
        var coupled = await CoupleAsync();

        var outcome = await Witness.SwitchOver();

        Assert.False(outcome.Accepted);
        Assert.Equal(
            "agent-1: switch-over refused: the job dispatchers did not tell within 500ms whether a job runs on node-a, the active director's node; try again",
            outcome.Message);
        var view = await Witness.GetView();
        Assert.Equal(("Coupled", false, coupled.Epoch), (view.State, view.SwitchPending, view.Epoch));
    }

    [Fact]
    public async Task A_switch_over_is_still_refused_while_a_job_runs_on_the_active_directors_node()
    {
        var coupled = await CoupleAsync();
        _workload.Answer(1);

        var outcome = await Witness.SwitchOver();

        Assert.False(outcome.Accepted);
        Assert.Equal("agent-1: 1 job(s) run on the active director's own subagent; wait for them or cancel them", outcome.Message);
        Assert.Equal("node-a", _workload.LastAsked);
        Assert.Equal(coupled.Epoch, (await Witness.GetView()).Epoch);
    }

    /// <summary>Primary p1 active, secondary s1 coupled as standby.</summary>
    private async Task<DirectorAssignment> CoupleAsync()
    {
        var first = await Witness.Heartbeat(new DirectorHeartbeat(DirectorInstance.Primary, "p1", 0, DirectorRole.Standby));
        await Witness.Heartbeat(new DirectorHeartbeat(DirectorInstance.Secondary, "s1", first.Epoch, DirectorRole.Standby));
        var active = await Witness.Heartbeat(new DirectorHeartbeat(DirectorInstance.Primary, "p1", first.Epoch, DirectorRole.Active));
        Assert.Equal("Coupled", (await Witness.GetView()).State);
        return active;
    }

    /// <summary>Job dispatchers that answer only when the test says so, and never to a cancellation.</summary>
    private sealed class HeldWorkload : IDirectorWorkload
    {
        private readonly TaskCompletionSource<int> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _asking;

        /// <summary>A question is open: asked and neither answered nor given up by the witness.</summary>
        public bool Asking => Volatile.Read(ref _asking) > 0;

        public string? LastAsked { get; private set; }

        public void Answer(int running) => _answer.TrySetResult(running);

        public async Task<int> RunningTasksOnNodeAsync(string agentId, string node, CancellationToken cancellationToken)
        {
            LastAsked = node;
            var open = 1;
            Interlocked.Increment(ref _asking);
            void Close()
            {
                if (Interlocked.Exchange(ref open, 0) == 1)
                {
                    Interlocked.Decrement(ref _asking);
                }
            }

            using var givenUp = cancellationToken.Register(Close);
            try
            {
                return await _answer.Task;
            }
            finally
            {
                Close();
            }
        }
    }
}
