using System.Runtime.InteropServices;

namespace Failover.Agents.Processes;

/// <summary>
/// Waits for the exit of children that this process started itself (<see cref="BoundSpawner"/>), with one thread
/// polling a pidfd per child: no thread per child, and none of the work <see cref="System.Diagnostics.Process"/> does
/// on every SIGCHLD for each child it knows.
/// <para>
/// Once a child has exited, its whole process group gets SIGKILL (what it left running dies with it) before the child
/// is reaped: the group's leader is the child or a process of the same spawn that this class reaps as well, so its
/// pid, hence the group id, cannot have been reused yet.
/// </para>
/// </summary>
internal sealed unsafe class ChildExits
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, (int Pid, int ProcessGroup, TaskCompletionSource<int> Exit)> _waiting = [];
    private readonly int _wakeRead;
    private readonly int _wakeWrite;

    private ChildExits()
    {
        (_wakeRead, _wakeWrite) = LibC.Pipe(LibC.ONonblock);
        new Thread(Run) { IsBackground = true, Name = "child-exits" }.Start();
    }

    public static ChildExits Shared { get; } = new();

    /// <summary>
    /// The exit code of child <paramref name="pid"/>: its own, or 128 + N when signal N killed it. Once it has exited,
    /// <paramref name="processGroup"/> gets SIGKILL. Call it right after starting the child, once.
    /// </summary>
    public Task<int> WaitAsync(int pid, int processGroup)
    {
        var pidfd = LibC.PidfdOpen(pid);
        if (pidfd < 0)
        {
            throw new InvalidOperationException($"pidfd_open({pid}) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        var exit = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _waiting[pidfd] = (pid, processGroup, exit);
        }

        Wake();
        return exit.Task;
    }

    private void Wake()
    {
        byte one = 1;
        _ = LibC.Write(_wakeWrite, &one, 1);
    }

    private void Run()
    {
        var fds = new List<LibC.PollFd>();
        var drain = stackalloc byte[256];
        while (true)
        {
            fds.Clear();
            fds.Add(new LibC.PollFd { Fd = _wakeRead, Events = LibC.PollIn });
            lock (_lock)
            {
                fds.AddRange(_waiting.Keys.Select(pidfd => new LibC.PollFd { Fd = pidfd, Events = LibC.PollIn }));
            }

            var array = fds.ToArray();
            fixed (LibC.PollFd* polled = array)
            {
                if (LibC.Poll(polled, (nuint)array.Length, -1) < 0)
                {
                    continue; // EINTR
                }
            }

            if (array[0].ReturnedEvents != 0)
            {
                while (LibC.Read(_wakeRead, drain, 256) > 0)
                {
                }
            }

            foreach (var ready in array.Skip(1).Where(fd => fd.ReturnedEvents != 0))
            {
                Reap(ready.Fd);
            }
        }
    }

    private void Reap(int pidfd)
    {
        (int Pid, int ProcessGroup, TaskCompletionSource<int> Exit) child;
        lock (_lock)
        {
            if (!_waiting.Remove(pidfd, out child))
            {
                return;
            }
        }

        _ = ProcessSignals.KillGroup(child.ProcessGroup, ProcessSignals.SigKill);
        int result;
        int status;
        while ((result = LibC.WaitPid(child.Pid, out status, LibC.WNoHang)) < 0 && Marshal.GetLastPInvokeError() == LibC.EIntr)
        {
        }

        if (result == 0)
        {
            // Not waitable yet: poll it again.
            lock (_lock)
            {
                _waiting[pidfd] = child;
            }

            return;
        }

        _ = LibC.Close(pidfd);
        if (result == child.Pid)
        {
            child.Exit.TrySetResult(LibC.ExitCode(status));
        }
        else
        {
            // ECHILD: someone else reaped it (a silo started with SIGCHLD ignored makes .NET reap every child).
            child.Exit.TrySetException(new InvalidOperationException($"the exit status of process {child.Pid} was lost (reaped elsewhere)"));
        }
    }
}
