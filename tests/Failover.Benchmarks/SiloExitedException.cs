namespace Failover.Benchmarks;

/// <summary>A silo process the benchmark did not kill has exited (e.g. it was declared Dead and stopped).</summary>
internal sealed class SiloExitedException(SiloProcess silo)
    : Exception($"silo {silo} exited by itself with code {silo.Process.ExitCode}")
{
    public SiloProcess Silo { get; } = silo;

    public static IEnumerable<SiloProcess> ThrowIfAnyExited(IEnumerable<SiloProcess> silos)
    {
        var list = silos.ToList();
        return list.FirstOrDefault(s => !s.Killed && s.Process.HasExited) is { } exited ? throw new SiloExitedException(exited) : list;
    }
}
