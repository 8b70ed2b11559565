using System.Text;

namespace Failover.Benchmarks.Peers;

/// <summary>
/// The job starts of one system's run, read from the files its jobs append to (<see cref="RunLogWriter"/> in the peers'
/// node processes, a shell line in the product's job processes): every <c>runs-*.log</c> of one directory. Reads only
/// complete lines, and only what was added since the last <see cref="Refresh"/>.
/// </summary>
internal sealed class RunLog
{
    public const string FilePrefix = "runs-";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, long> _offsets = [];
    private readonly Dictionary<string, List<JobStart>> _byJob = new(StringComparer.Ordinal);
    private int _count;

    public RunLog(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        Directory = directory;
    }

    public string Directory { get; }

    /// <summary>How many starts were read, all jobs together.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>Reads what the jobs appended since the last call.</summary>
    public void Refresh()
    {
        lock (_lock)
        {
            foreach (var path in System.IO.Directory.EnumerateFiles(Directory, $"{FilePrefix}*.log"))
            {
                ReadNewLines_NeedsLock(path);
            }
        }
    }

    /// <summary>The starts of <paramref name="jobId"/> read so far, oldest first.</summary>
    public IReadOnlyList<JobStart> StartsOf(string jobId)
    {
        lock (_lock)
        {
            return _byJob.TryGetValue(jobId, out var starts) ? [.. starts] : [];
        }
    }

    /// <summary>How many of <paramref name="jobIds"/> started at least once.</summary>
    public int StartedOf(IEnumerable<string> jobIds)
    {
        lock (_lock)
        {
            return jobIds.Count(_byJob.ContainsKey);
        }
    }

    private void ReadNewLines_NeedsLock(string path)
    {
        var offset = _offsets.GetValueOrDefault(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (file.Length <= offset)
        {
            return;
        }

        file.Position = offset;
        var bytes = new byte[file.Length - offset];
        file.ReadExactly(bytes);
        var complete = Array.LastIndexOf(bytes, (byte)'\n') + 1;
        foreach (var line in Encoding.UTF8.GetString(bytes, 0, complete).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (JobStart.Parse(line) is { } start)
            {
                if (!_byJob.TryGetValue(start.JobId, out var starts))
                {
                    starts = [];
                    _byJob[start.JobId] = starts;
                }

                starts.Add(start);
                _count++;
            }
        }

        _offsets[path] = offset + complete;
    }
}
