using System.Threading.Channels;
using Failover.Agents.DirectorClusters;
using Failover.Agents.Topology;
using Microsoft.Extensions.Logging;

namespace Failover.Agents.FileWatches;

/// <summary>
/// Runs one file watch: the caller runs <see cref="RunAsync"/> while this silo's director of the watch's agent is the
/// active one and cancels it when it no longer is. Every run starts with a full listing reconciled with the durable
/// orders, so a run after a fail-over or switch-over neither repeats nor misses an order.
/// </summary>
public sealed partial class FileWatchRunner
{
    /// <summary>After a change notification, how long to wait for more before listing: a file being written sends many.</summary>
    internal static readonly TimeSpan NotificationCoalescing = TimeSpan.FromMilliseconds(100);

    private readonly FileWatchSpec _spec;
    private readonly IFileOrderSink _sink;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly FilePattern _pattern;
    private readonly FileWatchReconciler _reconciler;
    private readonly TimeSpan _rescan;
    private int _running;
    private int _passes;

    // State of the current run; runs do not overlap.
    private Channel<bool> _notifications = NewNotifications();
    private DirectoryNotifier? _notifier;
    private string? _notifierProblem;
    private string? _directoryProblem;
    private bool _sinkFailing;
    private HashSet<string> _reportedUnusable = new(StringComparer.Ordinal);

    public FileWatchRunner(FileWatchSpec spec, IFileOrderSink sink, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _spec = spec;
        _sink = sink;
        _timeProvider = timeProvider;
        _logger = logger;
        _pattern = new FilePattern(spec.Pattern);
        _reconciler = new FileWatchReconciler(spec);
        // A rescan period of a few milliseconds would list the directory in a busy loop.
        _rescan = spec.Rescan > NotificationCoalescing ? spec.Rescan : NotificationCoalescing;
    }

    /// <summary>Passes made over all runs, also those that could not list the directory: lets tests wait for one.</summary>
    internal int CompletedPasses => Volatile.Read(ref _passes);

    private TimeSpan Now => MonotonicClock.Now(_timeProvider);

    /// <summary>Watches until <paramref name="cancellationToken"/> is cancelled, then returns; sink and directory errors are logged and retried.</summary>
    /// <exception cref="InvalidOperationException">The watch is already running.</exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            throw new InvalidOperationException($"file watch {_spec.Id} is already running");
        }

        _notifications = NewNotifications();
        _notifierProblem = null;
        _directoryProblem = null;
        _sinkFailing = false;
        _reportedUnusable = new HashSet<string>(StringComparer.Ordinal);
        LogStarted(_spec.Id, _spec.Directory, _spec.Pattern, _spec.Delay, _rescan);
        try
        {
            await LoopAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            DropNotifier();
            LogStopped(_spec.Id);
            Volatile.Write(ref _running, 0);
        }
    }

    private static Channel<bool> NewNotifications() =>
        Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        var state = FileWatchState.Empty;
        // The time a wait was for. The clock may read a little less right after that wait (timer resolution, rounding),
        // which would leave a due file unsettled for one more tiny wait and pass.
        var waitedUntil = TimeSpan.Zero;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _notifications.Reader.TryRead(out _);
            var passAt = Max(Now, waitedUntil);
            (state, var nextCheck) = await PassAsync(state, waitedUntil, cancellationToken);
            Interlocked.Increment(ref _passes);

            var dueAt = passAt + _rescan;
            if (nextCheck < dueAt)
            {
                dueAt = nextCheck.Value;
            }

            waitedUntil = dueAt;
            if (await WaitAsync(dueAt - Now, orNotification: true, cancellationToken))
            {
                waitedUntil = Min(Now + NotificationCoalescing, dueAt);
                await WaitAsync(waitedUntil - Now, orNotification: false, cancellationToken);
            }
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>Lists, reconciles, forgets and submits; returns the next state and when a settling file is due.</summary>
    private async Task<(FileWatchState, TimeSpan?)> PassAsync(FileWatchState state, TimeSpan notBefore, CancellationToken cancellationToken)
    {
        // Before listing, so that a file arriving during the listing is notified.
        var notifierError = EnsureNotifier();
        if (List() is not { } listing)
        {
            return (state, null);
        }

        ReportNotifier(notifierError);
        IReadOnlyList<FileOrderEntry> durable;
        try
        {
            durable = await _sink.ListAsync(_spec.Id, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            SinkFailed("listing the orders of", _spec.Id, exception);
            return (state, null);
        }

        var decision = _reconciler.Reconcile(listing, state, durable, Max(Now, notBefore));
        ReportUnusable(decision.Unusable);
        var failed = false;
        var notForgotten = new HashSet<string>(StringComparer.Ordinal);
        foreach (var orderId in decision.Forget)
        {
            try
            {
                if (await _sink.ForgetAsync(orderId, cancellationToken))
                {
                    LogForgotten(_spec.Id, orderId);
                }
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                failed = true;
                notForgotten.Add(orderId);
                SinkFailed("forgetting", orderId, exception);
            }
        }

        foreach (var submission in decision.Submit.Where(s => !notForgotten.Contains(s.OrderId)))
        {
            try
            {
                await _sink.SubmitAsync(submission.OrderId, submission.Job, submission.Arguments, cancellationToken);
                LogSubmitted(_spec.Id, submission.OrderId, submission.Arguments[FileWatchReconciler.FileArgument]);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                failed = true;
                SinkFailed("submitting", submission.OrderId, exception);
            }
        }

        if (!failed && _sinkFailing)
        {
            _sinkFailing = false;
            LogSinkRecovered(_spec.Id);
        }

        return (decision.Next, decision.NextCheck);
    }

    /// <summary>The files, or null when the directory cannot be listed: then nothing is decided, least of all that files have gone.</summary>
    private Dictionary<string, FileStamp>? List()
    {
        try
        {
            var listing = DirectoryListing.Read(_spec.Directory);
            if (_directoryProblem is not null)
            {
                _directoryProblem = null;
                LogDirectoryReadable(_spec.Id, _spec.Directory);
            }

            return listing;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException)
        {
            DropNotifier();
            var missing = exception is DirectoryNotFoundException;
            var problem = missing ? "missing" : exception.Message;
            if (problem != _directoryProblem)
            {
                if (missing)
                {
                    LogDirectoryMissing(_spec.Id, _spec.Directory, _rescan);
                }
                else
                {
                    LogDirectoryUnreadable(_spec.Id, _spec.Directory, problem, _rescan);
                }
            }

            _directoryProblem = problem;
            return null;
        }
    }

    private string? EnsureNotifier()
    {
        if (_notifier is { Healthy: false })
        {
            DropNotifier();
        }

        if (_notifier is not null)
        {
            return null;
        }

        try
        {
            _notifier = DirectoryNotifier.Start(_spec.Directory, _pattern, Notify);
            return null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or PlatformNotSupportedException)
        {
            return exception.Message;
        }
    }

    private void ReportNotifier(string? problem)
    {
        if (problem is not null && problem != _notifierProblem)
        {
            LogNoNotifications(_spec.Id, _spec.Directory, problem, _rescan);
        }

        _notifierProblem = problem;
    }

    private void DropNotifier()
    {
        _notifier?.Dispose();
        _notifier = null;
    }

    private void Notify() => _notifications.Writer.TryWrite(true);

    /// <summary>Waits for <paramref name="delay"/> or, when asked, a change notification; true when the notification came first.</summary>
    private async Task<bool> WaitAsync(TimeSpan delay, bool orNotification, CancellationToken cancellationToken)
    {
        if (delay <= TimeSpan.Zero)
        {
            return false;
        }

        if (!orNotification)
        {
            await Task.Delay(delay, _timeProvider, cancellationToken);
            return false;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var elapsed = Task.Delay(delay, _timeProvider, stop.Token);
        var notified = _notifications.Reader.WaitToReadAsync(stop.Token).AsTask();
        var first = await Task.WhenAny(elapsed, notified);
        await stop.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
        return first == notified;
    }

    private void SinkFailed(string operation, string subject, Exception exception)
    {
        // One line per outage, not one per order and pass.
        if (!_sinkFailing)
        {
            _sinkFailing = true;
            LogSinkFailed(_spec.Id, operation, subject, exception.Message);
        }
    }

    private void ReportUnusable(IReadOnlyList<UnusableFile> unusable)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in unusable)
        {
            names.Add(file.Name);
            if (!_reportedUnusable.Contains(file.Name))
            {
                LogUnusable(_spec.Id, file.Name, file.Reason);
            }
        }

        _reportedUnusable = names;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "File watch {Watch} runs: directory {Directory}, pattern {Pattern}, delay {Delay}, rescan {Rescan}")]
    private partial void LogStarted(string watch, string directory, string pattern, TimeSpan delay, TimeSpan rescan);

    [LoggerMessage(Level = LogLevel.Information, Message = "File watch {Watch} stopped")]
    private partial void LogStopped(string watch);

    [LoggerMessage(Level = LogLevel.Warning, Message = "File watch {Watch}: directory {Directory} does not exist; looking again every {Rescan}")]
    private partial void LogDirectoryMissing(string watch, string directory, TimeSpan rescan);

    [LoggerMessage(Level = LogLevel.Warning, Message = "File watch {Watch}: cannot list directory {Directory}: {Reason}; looking again every {Rescan}")]
    private partial void LogDirectoryUnreadable(string watch, string directory, string reason, TimeSpan rescan);

    [LoggerMessage(Level = LogLevel.Information, Message = "File watch {Watch}: directory {Directory} can be listed again")]
    private partial void LogDirectoryReadable(string watch, string directory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "File watch {Watch}: no change notifications for {Directory} ({Reason}); new files are noticed by the rescan every {Rescan}")]
    private partial void LogNoNotifications(string watch, string directory, string reason, TimeSpan rescan);

    [LoggerMessage(Level = LogLevel.Information, Message = "File watch {Watch} added order {Order} for {File}")]
    private partial void LogSubmitted(string watch, string order, string file);

    [LoggerMessage(Level = LogLevel.Information, Message = "File watch {Watch} forgot order {Order}: it ended and its file has gone")]
    private partial void LogForgotten(string watch, string order);

    [LoggerMessage(Level = LogLevel.Warning, Message = "File watch {Watch}: {Operation} {Subject} failed, trying again at the next pass: {Reason}")]
    private partial void LogSinkFailed(string watch, string operation, string subject, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "File watch {Watch}: the orders can be read and written again")]
    private partial void LogSinkRecovered(string watch);

    [LoggerMessage(Level = LogLevel.Warning, Message = "File watch {Watch}: file {File} gets no order: {Reason}")]
    private partial void LogUnusable(string watch, string file, string reason);
}
