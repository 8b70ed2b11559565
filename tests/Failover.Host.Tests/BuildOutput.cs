namespace Failover.Host.Tests;

/// <summary>Where the silo, the client and the test host were built, in the same configuration as these tests.</summary>
public static class BuildOutput
{
    public static string SiloDll => Find("silo", "Failover.Silo.dll");

    public static string ClientDll => Find("client", "Failover.Client.dll");

    /// <summary>The silo with the test grains (tests/Failover.TestHost), for fault tests.</summary>
    public static string TestHostDll => Find(Path.Combine("tests", "Failover.TestHost"), "Failover.TestHost.dll");

    /// <summary>The checkout these tests were built from: the folder of Orleans.Failover.sln above the test output.</summary>
    public static string RepositoryRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Orleans.Failover.sln")))
        {
            root = root.Parent;
        }

        return root?.FullName ?? throw new InvalidOperationException("Orleans.Failover.sln not found above the test output directory.");
    }

    private static string Find(string projectFolder, string dll)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var path = Path.Combine(RepositoryRoot(), projectFolder, "bin", configuration, "net10.0", dll);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{dll} is not built at {path}; build the solution first.");
    }
}
