using System.Globalization;
using Failover.Testing;

namespace Failover.Agents.Tests.Subagents;

/// <summary>Process facts from /proc, and scratch directories for job tests.</summary>
internal static class ProcessProbe
{
    /// <summary>Whether the process runs (a zombie or a missing process does not).</summary>
    public static bool IsRunning(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return false;
        }

        var state = stat[(stat.LastIndexOf(')') + 2)..][0];
        return state is not ('Z' or 'X');
    }

    /// <summary>The pids written one per line to <paramref name="file"/>, once it holds <paramref name="count"/>.</summary>
    public static async Task<int[]> PidsAsync(string file, int count)
    {
        int[] pids = [];
        await Eventually.True(
            () =>
            {
                pids = WrittenPids(file);
                return pids.Length >= count;
            },
            $"{count} pids are written");
        return pids;
    }

    /// <summary>The whole lines of <paramref name="file"/> as pids (none when it is missing).</summary>
    public static int[] WrittenPids(string file) =>
        File.Exists(file)
            ? [.. File.ReadAllText(file).Split('\n').SkipLast(1).Where(line => line.Length > 0).Select(line => int.Parse(line, CultureInfo.InvariantCulture))]
            : [];

    public static async Task AllGoneAsync(IEnumerable<int> pids)
    {
        var list = pids.ToList();
        await Eventually.True(() => !list.Any(IsRunning), $"processes {string.Join(", ", list)} are gone", TimeSpan.FromSeconds(10));
    }

    public static string TempDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "failover-jobs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return directory;
    }
}
