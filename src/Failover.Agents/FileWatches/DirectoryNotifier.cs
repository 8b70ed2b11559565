namespace Failover.Agents.FileWatches;

/// <summary>
/// Change notifications for a watched directory, as a hint to look again soon: every pass lists the directory anyway,
/// so a missed or coalesced notification costs time, never an order.
/// </summary>
internal sealed class DirectoryNotifier : IDisposable
{
    private readonly FileSystemWatcher _watcher;
    private readonly FilePattern _pattern;
    private readonly Action _wake;
    private volatile bool _broken;

    private DirectoryNotifier(string directory, FilePattern pattern, Action wake)
    {
        _pattern = pattern;
        _wake = wake;
        _watcher = new FileSystemWatcher(directory)
        {
            IncludeSubdirectories = false,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        _watcher.Created += OnChanged;
        _watcher.Changed += OnChanged;
        _watcher.Deleted += OnChanged;
        _watcher.Renamed += OnRenamed;
        _watcher.Error += OnError;
    }

    /// <summary>False after the watcher reported an error (e.g. its buffer overflowed): make a new one.</summary>
    public bool Healthy => !_broken;

    /// <exception cref="ArgumentException">The directory does not exist.</exception>
    /// <exception cref="IOException">The system refuses another watch (e.g. the inotify limit).</exception>
    public static DirectoryNotifier Start(string directory, FilePattern pattern, Action wake)
    {
        var notifier = new DirectoryNotifier(directory, pattern, wake);
        try
        {
            notifier._watcher.EnableRaisingEvents = true;
            return notifier;
        }
        catch
        {
            notifier.Dispose();
            throw;
        }
    }

    public void Dispose() => _watcher.Dispose();

    private void OnChanged(object sender, FileSystemEventArgs e)
    {
        if (e.Name is { } name && _pattern.Matches(name))
        {
            _wake();
        }
    }

    private void OnRenamed(object sender, RenamedEventArgs e)
    {
        if ((e.Name is { } name && _pattern.Matches(name)) || (e.OldName is { } old && _pattern.Matches(old)))
        {
            _wake();
        }
    }

    private void OnError(object sender, ErrorEventArgs e)
    {
        _broken = true;
        _wake();
    }
}
