using System.Collections.Concurrent;

namespace Failover.Runtime.Activation;

/// <summary>
/// Runs an activation's tasks one at a time on the thread pool. Every continuation inside a grain turn
/// captures this scheduler, so grain code never runs on two threads at once, even when reentrant.
/// </summary>
internal sealed class ActivationTaskScheduler : TaskScheduler, IThreadPoolWorkItem
{
    // How many queued tasks run before the scheduler yields its thread back to the pool, so one busy
    // activation cannot starve the others.
    private const int TasksPerQuantum = 64;

    [ThreadStatic]
    private static ActivationTaskScheduler? s_running;

    private readonly ConcurrentQueue<Task> _queue = new();
    private int _scheduled;

    public override int MaximumConcurrencyLevel => 1;

    public static bool IsRunningOn(ActivationTaskScheduler scheduler) => ReferenceEquals(s_running, scheduler);

    protected override void QueueTask(Task task)
    {
        _queue.Enqueue(task);
        ScheduleIfIdle();
    }

    // Inlining is safe only on the thread that already runs this scheduler's quantum.
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        IsRunningOn(this) && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks() => _queue.ToArray();

    void IThreadPoolWorkItem.Execute()
    {
        s_running = this;
        try
        {
            for (var i = 0; i < TasksPerQuantum && _queue.TryDequeue(out var task); i++)
            {
                TryExecuteTask(task);
            }
        }
        finally
        {
            s_running = null;
        }

        // A full fence, not a volatile write: the store must be visible before the emptiness check reads the queue,
        // or a producer that enqueued in between (and saw _scheduled == 1) and this worker both walk away.
        Interlocked.Exchange(ref _scheduled, 0);
        if (!_queue.IsEmpty)
        {
            ScheduleIfIdle();
        }
    }

    private void ScheduleIfIdle()
    {
        if (Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }
}
