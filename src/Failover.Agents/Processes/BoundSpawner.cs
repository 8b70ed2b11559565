using System.Collections;
using System.IO.Pipes;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Failover.Agents.Processes;

/// <summary>A process started by <see cref="BoundSpawner"/>: the leader (and id) of its process group, its output and its exit code.</summary>
internal sealed record SpawnedProcess(int ProcessGroup, Stream Output, Task<int> Exit);

/// <summary>
/// Starts commands whose whole process tree never outlives this object, hence the silo: with posix_spawn, as
/// <c>/bin/sh -c WRAPPER NAME COMMAND ARGS…</c> in a new session and process group, stdin <c>/dev/null</c>,
/// stdout and stderr into one pipe (interleaved by write).
/// <para>
/// The binding is a lifeline pipe: this object holds its only write end, every wrapper gets the read end as fd 3. The
/// wrapper's first act is a background watcher that blocks reading fd 3 and SIGKILLs the whole process group when it
/// reads end of file — when the write end closes, which the kernel does when the silo dies, also by <c>kill -9</c>,
/// and <see cref="Dispose"/> does. The watcher is up before the command starts, and a lifeline already closed at that
/// point kills the group at once, so no moment exists where a started command is unbound. The command runs in the
/// background with fd 3 closed; the wrapper waits for it and exits with its exit code. TERM/INT/HUP are caught by
/// the wrapper (not ignored, so the command keeps the defaults) so that a group-wide SIGTERM reaches the command while
/// the wrapper keeps waiting for its exit code; the watcher ignores them. Processes that leave the group (their own
/// <c>setsid</c>) escape all of this.
/// </para>
/// <para>
/// One exec of a small shell per job, and no thread that must outlive its children (a parent-death signal follows
/// the starting thread): any thread may spawn.
/// </para>
/// </summary>
internal sealed unsafe class BoundSpawner : IDisposable
{
    public const string Shell = "/bin/sh";

    // $1.. = the command and its arguments.
    private const string Wrapper =
        "{ trap '' TERM INT HUP; read _ <&3; kill -KILL 0; } >/dev/null 2>&1 & " +
        "trap : TERM INT HUP; \"$@\" 3<&- & c=$!; " +
        "while :; do wait \"$c\"; s=$?; kill -0 \"$c\" 2>/dev/null || exit \"$s\"; done";

    private const int LifelineFd = 3;

    private readonly SafeFileHandle _lifelineRead;
    private readonly SafeFileHandle _lifelineWrite;

    public BoundSpawner()
    {
        var (read, write) = LibC.Pipe();
        _lifelineRead = new SafeFileHandle(read, ownsHandle: true);
        _lifelineWrite = new SafeFileHandle(write, ownsHandle: true);
    }

    /// <summary>Why no bound process can be started here, or null.</summary>
    public static string? Problem() =>
        OperatingSystem.IsLinux() && File.Exists(Shell) ? null : $"job processes need Linux and {Shell}";

    /// <summary>
    /// Starts <paramref name="command"/> (a full path) bound to this object's life, in its own process group;
    /// <paramref name="name"/> is the wrapper's <c>$0</c> (what <c>ps</c> shows). The environment is this process's
    /// with <paramref name="environment"/> over it.
    /// </summary>
    /// <exception cref="IOException">The process could not be started (e.g. the working directory is missing).</exception>
    /// <exception cref="ObjectDisposedException">This spawner was disposed.</exception>
    public SpawnedProcess Spawn(string name, string command, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, string? workingDirectory)
    {
        var added = false;
        _lifelineRead.DangerousAddRef(ref added);
        try
        {
            ObjectDisposedException.ThrowIf(_lifelineWrite.IsClosed, this);
            var (outputRead, outputWrite) = LibC.Pipe();
            int pid;
            try
            {
                pid = Start([Shell, "-c", Wrapper, name, command, .. args], Environment(environment), workingDirectory, outputWrite);
            }
            catch
            {
                _ = LibC.Close(outputRead);
                throw;
            }
            finally
            {
                _ = LibC.Close(outputWrite);
            }

            var exit = ChildExits.Shared.WaitAsync(pid);
            var output = new AnonymousPipeClientStream(PipeDirection.In, new SafePipeHandle(outputRead, ownsHandle: true));
            return new SpawnedProcess(pid, output, exit);
        }
        finally
        {
            if (added)
            {
                _lifelineRead.DangerousRelease();
            }
        }
    }

    /// <summary>Closes the lifeline: every process group started here is killed.</summary>
    public void Dispose()
    {
        _lifelineWrite.Dispose();
        _lifelineRead.Dispose();
    }

    private static string[] Environment(IReadOnlyDictionary<string, string> overrides)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = (string?)entry.Value ?? "";
        }

        foreach (var (key, value) in overrides)
        {
            variables[key] = value;
        }

        return [.. variables.Select(v => $"{v.Key}={v.Value}")];
    }

    private int Start(string[] argv, string[] envp, string? workingDirectory, int output)
    {
        var attributes = NativeMemory.AllocZeroed(LibC.SpawnAttrSize);
        var actions = NativeMemory.AllocZeroed(LibC.FileActionsSize);
        var signals = NativeMemory.AllocZeroed(LibC.SigSetSize);
        var strings = new List<nint>(argv.Length + envp.Length);
        try
        {
            Check(LibC.SpawnAttrInit((nint)attributes), "posix_spawnattr_init");
            Check(LibC.FileActionsInit((nint)actions), "posix_spawn_file_actions_init");
            try
            {
                // Signals blocked or ignored here (.NET ignores SIGPIPE) must not reach the job.
                Check(LibC.SigEmptySet((nint)signals), "sigemptyset");
                Check(LibC.SpawnAttrSetSigMask((nint)attributes, (nint)signals), "posix_spawnattr_setsigmask");
                Check(LibC.SigFillSet((nint)signals), "sigfillset");
                Check(LibC.SpawnAttrSetSigDefault((nint)attributes, (nint)signals), "posix_spawnattr_setsigdefault");
                Check(LibC.SpawnAttrSetFlags((nint)attributes, LibC.PosixSpawnSetSid | LibC.PosixSpawnSetSigMask | LibC.PosixSpawnSetSigDef), "posix_spawnattr_setflags");
                Check(LibC.FileActionsAddOpen((nint)actions, 0, "/dev/null", LibC.ORdonly, 0), "posix_spawn_file_actions_addopen");
                Check(LibC.FileActionsAddDup2((nint)actions, output, 1), "posix_spawn_file_actions_adddup2");
                Check(LibC.FileActionsAddDup2((nint)actions, output, 2), "posix_spawn_file_actions_adddup2");
                Check(LibC.FileActionsAddDup2((nint)actions, (int)_lifelineRead.DangerousGetHandle(), LifelineFd), "posix_spawn_file_actions_adddup2");
                if (workingDirectory is not null)
                {
                    Check(LibC.FileActionsAddChdir((nint)actions, workingDirectory), "posix_spawn_file_actions_addchdir_np");
                }

                var argvPointers = stackalloc nint[argv.Length + 1];
                var envpPointers = new nint[envp.Length + 1];
                for (var i = 0; i < argv.Length; i++)
                {
                    strings.Add(argvPointers[i] = Marshal.StringToCoTaskMemUTF8(argv[i]));
                }

                for (var i = 0; i < envp.Length; i++)
                {
                    strings.Add(envpPointers[i] = Marshal.StringToCoTaskMemUTF8(envp[i]));
                }

                fixed (nint* envpPointer = envpPointers)
                {
                    var error = LibC.PosixSpawn(out var pid, Shell, (nint)actions, (nint)attributes, argvPointers, envpPointer);
                    return error == 0
                        ? pid
                        : throw new IOException($"posix_spawn of {Shell} failed: {Marshal.GetPInvokeErrorMessage(error)} (errno {error})");
                }
            }
            finally
            {
                _ = LibC.FileActionsDestroy((nint)actions);
                _ = LibC.SpawnAttrDestroy((nint)attributes);
            }
        }
        finally
        {
            strings.ForEach(Marshal.FreeCoTaskMem);
            NativeMemory.Free(attributes);
            NativeMemory.Free(actions);
            NativeMemory.Free(signals);
        }
    }

    private static void Check(int error, string call)
    {
        if (error != 0)
        {
            throw new IOException($"{call} failed: errno {error}");
        }
    }
}
