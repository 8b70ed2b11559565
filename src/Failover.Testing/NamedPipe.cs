using System.Runtime.InteropServices;

namespace Failover.Testing;

/// <summary>A named pipe (FIFO) for tests of programs that read one: made with mkfifo(3), its writer end opened by the test.</summary>
public sealed partial class NamedPipe : IDisposable
{
    private const int WriteOnly = 0x1;
    private const int NonBlocking = 0x800;
    private int _writer = -1;

    private NamedPipe(string path) => Path = path;

    public string Path { get; }

    public static NamedPipe Create(string path)
    {
        if (MakeFifo(path, Convert.ToUInt32("600", 8)) != 0)
        {
            throw new IOException($"mkfifo({path}) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return new NamedPipe(path);
    }

    /// <summary>
    /// Opens the writer end without waiting: true once a reader has the pipe open (the open then completes for the reader
    /// too, whose reads wait for data until the writer writes or closes).
    /// </summary>
    public bool TryOpenWriter()
    {
        if (_writer >= 0)
        {
            return true;
        }

        _writer = Open(Path, WriteOnly | NonBlocking);
        return _writer >= 0;
    }

    /// <summary>
    /// Whether a thread of <paramref name="processId"/> waits in open(2) of a named pipe for the other end (the kernel
    /// names that wait wait_for_partner). The .NET runtime's debugger pipe waits so too unless DOTNET_EnableDiagnostics=0.
    /// </summary>
    public static bool IsOpenWaitingIn(int processId)
    {
        try
        {
            return System.IO.Directory.EnumerateDirectories($"/proc/{processId}/task")
                .Any(task => File.ReadAllText(System.IO.Path.Combine(task, "wchan")).Contains("wait_for_partner", StringComparison.Ordinal));
        }
        catch (Exception exception) when (exception is DirectoryNotFoundException or FileNotFoundException or IOException)
        {
            return false; // a thread ended while listing
        }
    }

    public void Dispose()
    {
        if (_writer >= 0)
        {
            _ = Close(_writer);
            _writer = -1;
        }
    }

    [LibraryImport("libc", EntryPoint = "mkfifo", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MakeFifo(string path, uint mode);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);
}
