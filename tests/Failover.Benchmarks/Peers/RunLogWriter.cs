using System.Text;

namespace Failover.Benchmarks.Peers;

/// <summary>
/// A node process's side of the <see cref="RunLog"/>: one file of its own in the run log's directory, one line per job
/// start, each handed to the kernel before the job goes on (so a <c>kill -9</c> right after cannot lose it).
/// </summary>
internal sealed class RunLogWriter : IDisposable
{
    private readonly Lock _lock = new();
    private readonly FileStream _file;
    private readonly string _node;

    public RunLogWriter(string directory, string node)
    {
        _node = node;
        _file = new FileStream(
            Path.Combine(directory, $"{RunLog.FilePrefix}{node}-{Environment.ProcessId}.log"),
            FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
    }

    public void RecordStart(string jobId)
    {
        var line = Encoding.UTF8.GetBytes(JobStart.Line(jobId, _node, DateTime.UtcNow));
        lock (_lock)
        {
            _file.Write(line);
        }
    }

    public void Dispose() => _file.Dispose();
}
