using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Failover.Host.Tests;

/// <summary>
/// The README's quick start, run as written: its shell blocks are read from README.md (not copied here) and pasted into
/// one bash session in a scratch directory that sees the repository's build output. Only <c>dotnet build</c> is skipped
/// (the solution these tests run from is built already, and rebuilding would replace the running tests' binaries).
/// </summary>
[Collection(Faults.SiloProcessCollection.Name)]
public sealed partial class ReadmeQuickStartTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(5);

    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task The_quick_start_works_when_pasted_into_a_terminal_and_shows_the_fail_over()
    {
        var script = QuickStartScript(await File.ReadAllTextAsync(Path.Combine(BuildOutput.RepositoryRoot(), "README.md")));
        var (exitCode, output) = await RunInScratchDirectoryAsync(script);

        Assert.True(exitCode == 0, $"the quick start exited with {exitCode}\n{output}");
        AssertInOrder(
            output,
            "three Active silos", ActiveMembers(),
            "the topology applied", new Regex("Topology version 1 applied"),
            "the director cluster coupled", new Regex(@"agent-1\s+Coupled\s+primary \(node-a\)\s+secondary \(node-b\)"),
            "the first order finished", new Regex(@"order greeting-1 ended: Finished \(exit code 0"),
            "the standby took over after kill -9", new Regex(@"agent-1\s+FailedOver\s+secondary \(node-b\)"),
            "node-a shown Dead", new Regex(@"node-a\s+127\.0\.0\.1:11111@\d+\s+Dead"),
            "the fail-over event", new Regex(@"agent-1\s+failed-over\s+lost primary"),
            "the second order finished under the new active", new Regex(@"order greeting-2 ended: Finished \(exit code 0"),
            "node-a back and coupled again", new Regex(@"agent-1: switch-over from secondary to primary under way"),
            "node-c stopped normally", new Regex(@"on node node-c is stopping"));
    }

    /// <summary>The shell blocks of the "Quick start" section, in order, as one script.</summary>
    private static string QuickStartScript(string readme)
    {
        var start = readme.IndexOf("\n## Quick start", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has a '## Quick start' section");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = readme[start..(end < 0 ? readme.Length : end)];
        var blocks = ShellBlock().Matches(section).Select(m => m.Groups["code"].Value).ToList();
        Assert.True(blocks.Count >= 3, $"the quick start has its shell blocks (found {blocks.Count})");
        return string.Join("\n", blocks);
    }

    private async Task<(int ExitCode, string Output)> RunInScratchDirectoryAsync(string script)
    {
        var root = BuildOutput.RepositoryRoot();
        var scratch = _directory.Path;
        Directory.CreateSymbolicLink(Path.Combine(scratch, "silo"), Path.Combine(root, "silo"));
        Directory.CreateSymbolicLink(Path.Combine(scratch, "client"), Path.Combine(root, "client"));
        var bin = Directory.CreateDirectory(Path.Combine(scratch, ".bin")).FullName;
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var wrapper = Path.Combine(bin, "dotnet");
        await File.WriteAllTextAsync(wrapper, $"""
            #!/bin/sh
            if [ "$1" = build ]; then echo "(already built: the tests run from this build)"; exit 0; fi
            exec '{dotnet}' "$@"
            """);
        Assert.False(OperatingSystem.IsWindows(), "the quick start is a bash session");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var scriptFile = Path.Combine(scratch, "quick-start.sh");
        await File.WriteAllTextAsync(scriptFile, script);

        // Its own session, so every silo it starts in the background can be stopped with it if a step fails or hangs.
        var start = new ProcessStartInfo("setsid", ["bash", "-x", scriptFile])
        {
            WorkingDirectory = scratch,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}";
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(s_timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Append(output, $"(the quick start did not end within {s_timeout.TotalMinutes:0} minutes)");
        }
        finally
        {
            KillSession(process.Id);
        }

        await process.WaitForExitAsync();
        string logs = string.Concat(Directory.GetFiles(scratch, "node-*.log").Order().Select(f => $"\n----- {Path.GetFileName(f)}\n{File.ReadAllText(f)}"));
        lock (output)
        {
            return (process.HasExited && !timeout.IsCancellationRequested ? process.ExitCode : -1, output + logs);
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static void KillSession(int sessionLeader)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-9", "--", $"-{sessionLeader}"]) { RedirectStandardError = true })!;
        kill.WaitForExit();
    }

    private static void AssertInOrder(string output, params object[] expectations)
    {
        var position = 0;
        for (var i = 0; i < expectations.Length; i += 2)
        {
            var what = (string)expectations[i];
            var match = ((Regex)expectations[i + 1]).Match(output, position);
            Assert.True(match.Success, $"the quick start shows {what} (after offset {position})\n{output}");
            position = match.Index + match.Length;
        }
    }

    private static Regex ActiveMembers() => new(@"node-a\s+127\.0\.0\.1:11111@\d+\s+Active[\s\S]*?node-b\s+127\.0\.0\.1:11121@\d+\s+Active[\s\S]*?node-c\s+127\.0\.0\.1:11131@\d+\s+Active");

    [GeneratedRegex(@"```sh\n(?<code>[\s\S]*?)```")]
    private static partial Regex ShellBlock();
}
