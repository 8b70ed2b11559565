namespace Failover.Benchmarks;

/// <summary>Where tests/Failover.TestHost was built, in the same configuration as this benchmark.</summary>
internal static class TestHostBuild
{
    public static string Dll
    {
        get
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

            var path = Path.Combine(root.FullName, "tests", "Failover.TestHost", "bin", configuration, output.Name, "Failover.TestHost.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"Failover.TestHost.dll is not built at {path}; build the solution first.");
        }
    }
}
