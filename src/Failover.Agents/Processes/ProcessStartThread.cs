using System.Collections.Concurrent;
using System.Diagnostics;

namespace Failover.Agents.Processes;

/// <summary>
/// Starts processes from one dedicated thread that lives as long as this object. Linux delivers a parent-death
/// signal (<c>setpriv --pdeathsig</c>) when the parent *thread* ends, so processes must not be started from pool
/// threads that may retire. Disposing ends the thread: processes started with a parent-death signal then get it.
/// </summary>
internal sealed class ProcessStartThread : IDisposable
{
    private readonly BlockingCollection<(ProcessStartInfo Start, TaskCompletionSource<Process> Started)> _requests = [];

    public ProcessStartThread(string name)
    {
        var thread = new Thread(Run) { IsBackground = true, Name = name };
        thread.Start();
    }

    /// <exception cref="System.ComponentModel.Win32Exception">The process could not be started.</exception>
    public async Task<Process> StartAsync(ProcessStartInfo start, CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        _requests.Add((start, started), cancellationToken);

        // Not cancellable once queued: a process started after the caller gave up would be left behind.
        return await started.Task;
    }

    public void Dispose() => _requests.CompleteAdding();

    private void Run()
    {
        foreach (var (start, started) in _requests.GetConsumingEnumerable())
        {
            try
            {
                started.TrySetResult(Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start"));
            }
            catch (Exception exception)
            {
                started.TrySetException(exception);
            }
        }
    }
}
