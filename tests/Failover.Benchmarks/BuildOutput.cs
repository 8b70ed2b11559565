namespace Failover.Benchmarks;

/// <summary>Where the silo programs the benchmarks start were built, in the same configuration as this benchmark.</summary>
internal static class BuildOutput
{
    /// <summary>tests/Failover.TestHost: a silo with the test grains (the kill -9 grain fail-over benchmark).</summary>
    public static string TestHostDll => Find(Path.Combine("tests", "Failover.TestHost"), "Failover.TestHost.dll");

    /// <summary>silo/: the product's silo, agents included (the director, failover pair and order benchmarks).</summary>
    public static string SiloDll => Find("silo", "Failover.Silo.dll");

    /// <summary>This program, whose <c>silo</c> verb runs a silo with the benchmark grains (the runtime and cluster suites).</summary>
    public static string BenchmarkDll => typeof(BuildOutput).Assembly.Location;

    private static string Find(string projectFolder, string dll)
    {
        var output = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var configuration = output.Parent!.Name;
        var root = output;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Orleans.Failover.sln")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException("Orleans.Failover.sln not found above the benchmark's output directory.");
        }

        var path = Path.Combine(root.FullName, projectFolder, "bin", configuration, output.Name, dll);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{dll} is not built at {path}; build the solution first.");
    }
}
