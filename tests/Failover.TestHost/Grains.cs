using Failover.Hosting;
using Failover.Hosting.Leases;
using Failover.Hosting.Directory;
using Failover.Hosting.Reminders;
using Failover.Storage.Persistence;
using Microsoft.Extensions.Logging;
using Orleans.GrainDirectory;
using Orleans.Placement;
using Orleans.Storage;

namespace Failover.TestHost;

/// <summary>Says which node runs it, and its activation's directory epoch.</summary>
public interface ILocatorGrain : IGrainWithStringKey
{
    Task<string> Where();

    Task<int> Increment();

    Task<int> Get();
}

public sealed class LedgerState
{
    public List<string> Entries { get; set; } = [];
}

[GrainType("locator")]
[PreferLocalPlacement]
[GrainDirectory(Fenced.Directory)]
public sealed class LocatorGrain(LocalSilo silo, [PersistentState("count", Fenced.Storage)] IPersistentState<LedgerState> state) : Grain, ILocatorGrain
{
    public Task<string> Where() => Task.FromResult(silo.NodeName);

    public async Task<int> Increment()
    {
        state.State.Entries.Add(silo.NodeName);
        await state.WriteStateAsync();
        return state.State.Entries.Count;
    }

    public Task<int> Get() => Task.FromResult(state.State.Entries.Count);
}

/// <summary>Writes its state on a timer: the writer a paused silo still tries to be after it resumes.</summary>
public interface ILedgerGrain : IGrainWithStringKey
{
    Task StartWriting(TimeSpan period);

    Task<IReadOnlyList<string>> Read();
}

[GrainType("ledger")]
[PreferLocalPlacement]
[GrainDirectory(Fenced.Directory)]
public sealed partial class LedgerGrain(
    LocalSilo silo, [PersistentState("ledger", Fenced.Storage)] IPersistentState<LedgerState> ledger, NodeLease lease, ILogger<LedgerGrain> logger)
    : Grain, ILedgerGrain, IRemindable
{
    private IGrainTimer? _timer;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A reminder brings the ledger back after fail-over, so writing resumes wherever it lands.
        if (await this.GetReminder("resume", cancellationToken) is not null)
        {
            StartTimer(TimeSpan.FromMilliseconds(50));
        }
    }

    public async Task StartWriting(TimeSpan period)
    {
        StartTimer(period);
        await this.RegisterOrUpdateReminder("resume", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public Task<IReadOnlyList<string>> Read() => Task.FromResult<IReadOnlyList<string>>([.. ledger.State.Entries]);

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    private void StartTimer(TimeSpan period)
    {
        _timer?.Dispose();
        _timer = this.RegisterLeasedTimer(lease, WriteAsync, period, period);
    }

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        ledger.State.Entries.Add($"{silo.NodeName}:{silo.Address.Generation}:{ledger.State.Entries.Count + 1}");
        try
        {
            await ledger.WriteStateAsync(cancellationToken);
        }
        catch (InconsistentStateException exception)
        {
            LogFenced(exception.Message);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "LEDGER WRITE REJECTED: {Reason}")]
    private partial void LogFenced(string reason);
}

/// <summary>Records on which node each reminder tick arrived.</summary>
public interface IPulseGrain : IGrainWithStringKey
{
    Task Start(TimeSpan period);

    Task<IReadOnlyList<string>> Ticks();
}

[GrainType("pulse")]
[PreferLocalPlacement]
[GrainDirectory(Fenced.Directory)]
public sealed class PulseGrain(LocalSilo silo, [PersistentState("pulse", Fenced.Storage)] IPersistentState<PulseState> ticks) : Grain, IPulseGrain, IRemindable
{
    public async Task Start(TimeSpan period) => await this.RegisterOrUpdateReminder("pulse", period, period);

    public Task<IReadOnlyList<string>> Ticks() => Task.FromResult<IReadOnlyList<string>>([.. ticks.State.Entries]);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        ticks.State.Entries.Add($"{silo.NodeName}:{MissedTicks.Count(ticks.State.LastTick, status)}");
        ticks.State.LastTick = status.CurrentTickTime;
        await ticks.WriteStateAsync();
    }
}

public sealed class PulseState
{
    public List<string> Entries { get; set; } = [];

    public DateTime? LastTick { get; set; }
}

/// <summary>Answers with what it was sent: a response as large as the request.</summary>
public interface IEchoGrain : IGrainWithStringKey
{
    Task<string> Echo(string text);
}

[GrainType("echo")]
[PreferLocalPlacement]
public sealed class EchoGrain : Grain, IEchoGrain
{
    public Task<string> Echo(string text) => Task.FromResult(text);
}
