using Failover.Runtime.Membership.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Failover.Runtime.Hosting;

/// <summary>
/// The default reaction to finding this silo Dead: act no more — no turn, no write (the lease gate and the fences
/// already refuse them) — and end the host with exit code <see cref="ExitCode"/>, skipping the graceful steps that
/// would write to the cluster's tables.
/// </summary>
internal sealed partial class StopHostOnFatal(
    IServiceProvider services,
    IHostApplicationLifetime lifetime,
    ILogger<StopHostOnFatal> logger) : ISiloFatalHandler
{
    public const int ExitCode = 3;

    private int _fired;

    public void OnFatal(string reason)
    {
        if (Interlocked.Exchange(ref _fired, 1) == 1)
        {
            return;
        }

        LogFatal(reason);
        Environment.ExitCode = ExitCode;
        var lifecycle = services.GetServices<IHostedService>().OfType<SiloLifecycleService>().Single();
        _ = StopAsync(lifecycle);
    }

    private async Task StopAsync(SiloLifecycleService lifecycle)
    {
        await lifecycle.AbandonAsync();
        lifetime.StopApplication();
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "This silo is Dead in the membership table and stops: {Reason}")]
    private partial void LogFatal(string reason);
}
