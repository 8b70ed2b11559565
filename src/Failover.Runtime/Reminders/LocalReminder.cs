using Failover.Runtime.Grains;
using Microsoft.Extensions.Logging;

namespace Failover.Runtime.Reminders;

/// <summary>
/// A reminder this silo fires. One tick at a time: the next tick is scheduled when the grain has received the
/// current one. Ticks that fell due while the previous delivery ran, or while the silo could not act, are not
/// delivered one by one but counted in <see cref="TickStatus.MissedTicks"/>.
/// </summary>
internal sealed partial class LocalReminder : IDisposable
{
    private readonly ReminderService _service;
    private readonly ReminderSchedule _schedule;
    private readonly ITimer _timer;
    private readonly ILogger _logger;
    private readonly long _firstIndex;
    private long _lastDeliveredIndex = -1;
    private long _nextIndex;
    private volatile bool _disposed;

    /// <param name="lastDeliveredTick">The last tick that reached the grain, on whichever silo: ticks after it and before
    /// this silo's first delivery count as missed.</param>
    public LocalReminder(ReminderService service, ReminderEntry entry, DateTime? lastDeliveredTick, ILogger logger)
    {
        _service = service;
        Entry = entry;
        _logger = logger;
        _schedule = new ReminderSchedule(entry.StartTime, entry.Period);
        _timer = service.TimeProvider.CreateTimer(static r => _ = ((LocalReminder)r!).FireAsync(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        // The latest tick already due (if any) is delivered at once: a reminder taken over after a restart or a
        // fail-over fires immediately instead of waiting a whole period.
        _nextIndex = Math.Max(0, _schedule.LastDueIndex(Now));
        _firstIndex = _nextIndex;
        if (lastDeliveredTick is { } last && last >= entry.StartTime)
        {
            _lastDeliveredIndex = _schedule.LastDueIndex(last);
        }

        ScheduleNext();
    }

    public ReminderEntry Entry { get; }

    private DateTime Now => _service.TimeProvider.GetUtcNow().UtcDateTime;

    public void Dispose()
    {
        _disposed = true;
        _timer.Dispose();
    }

    private void ScheduleNext()
    {
        if (_disposed)
        {
            return;
        }

        var due = _schedule.TickTime(_nextIndex) - Now;
        _timer.Change(due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
    }

    private async Task FireAsync()
    {
        if (_disposed)
        {
            return;
        }

        // A silo without a valid lease must not act: the tick is skipped and reported as missed with the next one.
        if (!_service.CanFire)
        {
            _nextIndex = Math.Max(_nextIndex, _schedule.LastDueIndex(Now)) + 1;
            ScheduleNext();
            return;
        }

        // The tick that is due now: later than _nextIndex when the timer fired late.
        var index = Math.Max(_nextIndex, _schedule.LastDueIndex(Now));
        var missed = (int)Math.Min(int.MaxValue, index - (_lastDeliveredIndex < 0 ? _firstIndex : _lastDeliveredIndex + 1));
        var status = new TickStatus(_schedule.StartTime, _schedule.Period, _schedule.TickTime(index), Math.Max(0, missed));
        try
        {
            await _service.DeliverAsync(Entry, status);
            _lastDeliveredIndex = index;
            await _service.RecordDeliveredAsync(Entry, status.CurrentTickTime);
        }
        catch (Exception exception) when (!_disposed)
        {
            LogDeliveryFailed(Entry.GrainId, Entry.ReminderName, exception);
        }

        _nextIndex = index + 1;
        ScheduleNext();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reminder {ReminderName} of {GrainId} could not be delivered")]
    private partial void LogDeliveryFailed(GrainId grainId, string reminderName, Exception exception);
}
