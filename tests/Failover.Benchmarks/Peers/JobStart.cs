namespace Failover.Benchmarks.Peers;

/// <summary>One start of a benchmark job, as the job recorded it: which job, on which node, when (wall clock, UTC).</summary>
internal sealed record JobStart(string JobId, string Node, DateTime Time)
{
    /// <summary>The line a job appends: <c>id TAB node TAB microseconds since the Unix epoch LF</c>.</summary>
    public static string Line(string jobId, string node, DateTime time) =>
        $"{jobId}\t{node}\t{(time.ToUniversalTime() - DateTime.UnixEpoch).Ticks / 10}\n";

    public static JobStart? Parse(string line)
    {
        var parts = line.Split('\t');
        return parts.Length == 3 && long.TryParse(parts[2], out var micros)
            ? new JobStart(parts[0], parts[1], DateTime.UnixEpoch.AddTicks(micros * 10))
            : null;
    }
}
