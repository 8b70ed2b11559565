using Failover.Testing;

namespace Failover.Host.Tests;

/// <summary>The silo and the client as real processes, built in the same configuration as these tests.</summary>
public static class Programs
{
    private static readonly TimeSpan s_runTimeout = TimeSpan.FromSeconds(60);

    public static ProcessRunner StartSilo(params string[] args) => ProcessRunner.Start(BuildOutput.SiloDll, args);

    /// <summary>A silo process with the test grains: <c>--node N --port P --database DB --cluster-id ID [--service-id ID] [--set K=V]...</c>.</summary>
    public static ProcessRunner StartTestHost(params string[] args) => ProcessRunner.Start(BuildOutput.TestHostDll, args);

    public static Task<(int ExitCode, string Output, string Error)> RunSiloToExitAsync(params string[] args) =>
        ProcessRunner.RunToExitAsync(BuildOutput.SiloDll, s_runTimeout, args);

    public static Task<(int ExitCode, string Output, string Error)> RunClientAsync(params string[] args) =>
        ProcessRunner.RunToExitAsync(BuildOutput.ClientDll, s_runTimeout, args);
}
