using Failover.Runtime.Configuration;
using Failover.Runtime.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Failover.Runtime.Membership;

/// <summary>
/// Deletes membership rows that are not Active and have not renewed for DefunctRowAge (Orleans' rows otherwise
/// pile up, issue #3261). Active rows are never deleted, however old: declaring them Dead is the protocol's job.
/// </summary>
internal sealed partial class DefunctRowCleaner(
    IMembershipTable table,
    IOptions<MembershipOptions> options,
    TimeProvider timeProvider,
    ILogger<DefunctRowCleaner> logger) : IAsyncDisposable
{
    // Often enough that rows go soon after they reach the age; rarely enough to cost nothing.
    private static readonly TimeSpan s_longestPeriod = TimeSpan.FromHours(1);

    private BackgroundLoop? _loop;

    public TimeSpan Period => options.Value.DefunctRowAge / 2 < s_longestPeriod ? options.Value.DefunctRowAge / 2 : s_longestPeriod;

    public void Start()
    {
        _loop = new BackgroundLoop(Period, timeProvider, BackgroundLoop.Always(CleanLoggingFailuresAsync), runAtStart: true);
        _loop.Start();
    }

    public Task StopAsync() => _loop?.StopAsync() ?? Task.CompletedTask;

    public ValueTask DisposeAsync() => _loop?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>One pass: the cut-off is taken on the database clock, like every lease time.</summary>
    public async Task<int> CleanOnceAsync(CancellationToken cancellationToken)
    {
        var snapshot = await table.ReadAllAsync(cancellationToken);
        var deleted = await table.CleanupDefunctEntriesAsync(snapshot.DatabaseTime - options.Value.DefunctRowAge, cancellationToken);
        if (deleted > 0)
        {
            LogDeleted(deleted, options.Value.DefunctRowAge);
        }

        return deleted;
    }

    private async Task CleanLoggingFailuresAsync(CancellationToken cancellationToken)
    {
        try
        {
            await CleanOnceAsync(cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogFailed(exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} defunct membership rows older than {Age}")]
    private partial void LogDeleted(int count, TimeSpan age);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cleaning defunct membership rows failed: {Reason}")]
    private partial void LogFailed(string reason);
}
