namespace Failover.Benchmarks;

/// <summary>Where tests/Failover.TestHost and silo/ were built, in the same configuration as this benchmark.</summary>
internal static class TestHostBuild
{
    public static string Dll => Find(Path.Combine("tests", "Failover.TestHost"), "Failover.TestHost.dll");

    /// <summary>The real silo (silo/), for the failover pair benchmark.</summary>
    public static string SiloDll => Find("silo", "Failover.Silo.dll");

    private static string Find(string project, string dll)
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

        var path = Path.Combine(root.FullName, project, "bin", configuration, output.Name, dll);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{dll} is not built at {path}; build the solution first.");
    }
}
