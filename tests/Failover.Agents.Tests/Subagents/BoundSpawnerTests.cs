using System.Globalization;
using Failover.Agents.Processes;
using Failover.Testing;

namespace Failover.Agents.Tests.Subagents;

/// <summary>The lifeline binding of job processes, below the job runner.</summary>
public sealed class BoundSpawnerTests
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    [Fact]
    public async Task The_command_and_its_children_are_in_the_watchers_group_and_die_when_the_lifeline_closes()
    {
        var spawner = new BoundSpawner();
        SpawnedProcess process;
        try
        {
            process = spawner.Spawn("job", "/bin/sh", ["-c", "sleep 60 & echo $!; echo $$; wait"], NoEnvironment, null);
        }
        catch
        {
            spawner.Dispose();
            throw;
        }

        await using var output = process.Output;
        using var reader = new StreamReader(output);
        int[] pids;
        try
        {
            var child = int.Parse((await reader.ReadLineAsync())!, CultureInfo.InvariantCulture);
            var command = int.Parse((await reader.ReadLineAsync())!, CultureInfo.InvariantCulture);
            pids = [process.ProcessGroup, command, child];
            Assert.All(pids, pid => Assert.Equal(process.ProcessGroup, ProcessGroupOf(pid)));
        }
        finally
        {
            spawner.Dispose();
        }

        Assert.Equal(128 + 9, await process.Exit.WaitAsync(TimeSpan.FromSeconds(30)));
        await ProcessProbe.AllGoneAsync(pids);
    }

    [Fact]
    public async Task A_command_that_cannot_be_executed_is_an_error_and_leaves_no_watcher()
    {
        using var spawner = new BoundSpawner();
        var directory = ProcessProbe.TempDirectory();
        try
        {
            var notExecutable = Path.Combine(directory, "plain-file");
            await File.WriteAllTextAsync(notExecutable, "echo never\n");
            var name = $"watcher-{Guid.NewGuid():N}";

            Assert.Throws<IOException>(() => spawner.Spawn(name, notExecutable, [], NoEnvironment, null));

            await Eventually.True(() => !ProcessesNamed(name).Any(ProcessProbe.IsRunning), $"no watcher {name} runs");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static int ProcessGroupOf(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // pid (comm) state ppid pgrp …
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[2], CultureInfo.InvariantCulture);
    }

    private static IEnumerable<int> ProcessesNamed(string argument) =>
        Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => name is not null && name.All(char.IsAsciiDigit))
            .Select(name => int.Parse(name!, CultureInfo.InvariantCulture))
            .Where(pid => CommandLine(pid).Contains(argument, StringComparison.Ordinal));

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}
