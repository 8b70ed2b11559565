using System.Text.RegularExpressions;

namespace Failover.Host.Tests;

/// <summary>
/// Product grains register their timers through the node lease (<c>RegisterLeasedTimer</c>): the lease call filter lets
/// timer ticks pass, since refusing one would stop its timer for good, so a plain grain timer would tick while the silo
/// holds no lease.
/// </summary>
public sealed partial class LeasedTimerSourceTests
{
    [Fact]
    public void No_product_source_registers_a_plain_grain_timer()
    {
        var root = BuildOutput.RepositoryRoot();
        var sources = new[] { "src", "silo", Path.Combine("tests", "Failover.TestHost") }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && Path.GetFileName(file) != "LeasedTimers.cs")
            .ToList();
        Assert.NotEmpty(sources);

        var plain = sources.Where(file => PlainTimer().IsMatch(File.ReadAllText(file))).Select(file => Path.GetRelativePath(root, file)).ToList();

        Assert.True(plain.Count == 0, $"grain timers registered without the node lease in: {string.Join(", ", plain)}");
    }

    [GeneratedRegex(@"\.RegisterGrainTimer\(|\.RegisterTimer\(")]
    private static partial Regex PlainTimer();
}
