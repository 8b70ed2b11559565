using System.Collections;
using System.IO.Pipes;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Failover.Agents.Processes;

/// <summary>A command started by <see cref="BoundSpawner"/>: its process group, its output and its exit code.</summary>
internal sealed record SpawnedProcess(int ProcessGroup, Stream Output, Task<int> Exit);

/// <summary>
/// Starts commands whose whole process tree never outlives this object, hence the silo, with posix_spawn (any thread
/// may spawn: no parent-death signal that follows the starting thread).
/// <para>
/// The binding is a lifeline pipe: this object holds its only write end. For each command a watcher
/// (<c>/bin/sh -c WATCHER NAME</c>) is started first, as the leader of a new process group, with the lifeline's read end
/// as fd 3: it blocks reading it and SIGKILLs its whole group when it reads end of file — when the write end closes,
/// which the kernel does when the silo dies, also by <c>kill -9</c>, and <see cref="Dispose"/> does. Only then is the
/// command started, directly (one exec), into the watcher's group: it is never unbound, even if the silo dies between
/// the two spawns (the watcher then kills its group, empty or not, whenever it reads). The command is this process's
/// own child, so its exit code is its own. Processes that leave the group (their own <c>setsid</c>) escape all of
/// this.
/// </para>
/// <para>
/// The command's stdin is <c>/dev/null</c>, stdout and stderr go into one pipe (interleaved by write), all signals
/// have their default action (.NET ignores SIGPIPE: the command does not) and none is blocked. The group's id is the
/// watcher's pid; the watcher ignores SIGTERM, SIGINT and SIGHUP, so a group-wide SIGTERM reaches the command only.
/// </para>
/// </summary>
internal sealed unsafe class BoundSpawner : IDisposable
{
    public const string Shell = "/bin/sh";

    private const string Watcher = "trap '' TERM INT HUP; read _ <&3; kill -KILL 0";

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
    /// Starts <paramref name="command"/> (a full path) bound to this object's life, in a process group of its own and
    /// its watcher's; <paramref name="name"/> is the watcher's <c>$0</c> (what <c>ps</c> shows). The environment is
    /// this process's with <paramref name="environment"/> over it.
    /// </summary>
    /// <exception cref="IOException">The command could not be started (e.g. not executable, the working directory is missing).</exception>
    /// <exception cref="ObjectDisposedException">This spawner was disposed.</exception>
    public SpawnedProcess Spawn(string name, string command, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, string? workingDirectory)
    {
        var added = false;
        _lifelineRead.DangerousAddRef(ref added);
        try
        {
            ObjectDisposedException.ThrowIf(_lifelineWrite.IsClosed, this);
            var lifeline = (int)_lifelineRead.DangerousGetHandle();
            var watcher = Start(Shell, [Shell, "-c", Watcher, name], [], null, output: null, lifeline, processGroup: 0);
            _ = ChildExits.Shared.WaitAsync(watcher, watcher);
            var (outputRead, outputWrite) = LibC.Pipe();
            int pid;
            try
            {
                pid = Start(command, [command, .. args], Environment(environment), workingDirectory, outputWrite, lifeline: null, processGroup: watcher);
            }
            catch
            {
                _ = LibC.Close(outputRead);
                _ = ProcessSignals.KillGroup(watcher, ProcessSignals.SigKill);
                throw;
            }
            finally
            {
                _ = LibC.Close(outputWrite);
            }

            var exit = ChildExits.Shared.WaitAsync(pid, watcher);
            var output = new AnonymousPipeClientStream(PipeDirection.In, new SafePipeHandle(outputRead, ownsHandle: true));
            return new SpawnedProcess(watcher, output, exit);
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

    /// <summary>Spawns <paramref name="path"/> into <paramref name="processGroup"/> (0: a new one it leads); no <paramref name="output"/>: <c>/dev/null</c>.</summary>
    private static int Start(string path, string[] argv, string[] envp, string? workingDirectory, int? output, int? lifeline, int processGroup)
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
                Check(LibC.SpawnAttrSetPGroup((nint)attributes, processGroup), "posix_spawnattr_setpgroup");
                Check(LibC.SpawnAttrSetFlags((nint)attributes, LibC.PosixSpawnSetPGroup | LibC.PosixSpawnSetSigMask | LibC.PosixSpawnSetSigDef), "posix_spawnattr_setflags");
                Check(LibC.FileActionsAddOpen((nint)actions, 0, "/dev/null", LibC.ORdonly, 0), "posix_spawn_file_actions_addopen");
                if (output is { } pipe)
                {
                    Check(LibC.FileActionsAddDup2((nint)actions, pipe, 1), "posix_spawn_file_actions_adddup2");
                    Check(LibC.FileActionsAddDup2((nint)actions, pipe, 2), "posix_spawn_file_actions_adddup2");
                }
                else
                {
                    Check(LibC.FileActionsAddOpen((nint)actions, 1, "/dev/null", LibC.OWronly, 0), "posix_spawn_file_actions_addopen");
                    Check(LibC.FileActionsAddDup2((nint)actions, 1, 2), "posix_spawn_file_actions_adddup2");
                }

                if (lifeline is { } fd)
                {
                    Check(LibC.FileActionsAddDup2((nint)actions, fd, LifelineFd), "posix_spawn_file_actions_adddup2");
                }

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
                    var error = LibC.PosixSpawn(out var pid, path, (nint)actions, (nint)attributes, argvPointers, envpPointer);
                    return error == 0
                        ? pid
                        : throw new IOException($"{Marshal.GetPInvokeErrorMessage(error)} (errno {error})");
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
