using Failover.Hosting.Tests.Grains;
using Failover.Storage;
using Failover.Storage.Membership;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace Failover.Hosting.Tests.Cluster;

/// <summary>
/// Makes a test silo a Failover silo: <c>AddFailoverCluster</c> with the silo's own name and ports (from the test
/// cluster) and the test's <see cref="FailoverTestCluster.Section"/> keys. Its lease renewals go through a
/// <see cref="LeaseSwitch"/>, and the test cluster's fatal error handler stays: ours would end the test process.
/// </summary>
public sealed class FailoverSiloConfigurator : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder)
    {
        ArgumentNullException.ThrowIfNull(siloBuilder);
        var configuration = siloBuilder.Configuration;
        var clusterId = configuration["Orleans:ClusterId"] ?? throw new InvalidOperationException("The test cluster gave no cluster id.");
        var settings = configuration.GetSection(FailoverTestCluster.Section)
            .AsEnumerable(makePathsRelative: true)
            .Where(setting => setting.Value is not null)
            .ToDictionary(setting => setting.Key, setting => setting.Value);
        settings["Node"] = configuration["Orleans:Name"];
        settings["Host"] = "127.0.0.1";
        settings["Port"] = configuration["Orleans:Endpoints:SiloPort"];
        settings["GatewayPort"] = configuration["Orleans:Endpoints:GatewayPort"];
        settings["ClusterId"] = clusterId;
        settings["ServiceId"] = configuration["Orleans:ServiceId"];

        var services = siloBuilder.Services;
        services.AddSingleton<LeaseSwitch>();
        services.AddSingleton<CallLog>();
        services.AddSingleton<IMembershipRows>(sp => new SwitchableMembershipRows(
            sp.GetRequiredService<IClusterDatabase>().CreateMembershipRows(clusterId), sp.GetRequiredService<LeaseSwitch>()));
        FailoverTestCluster.ExtrasOf(configuration[FailoverTestCluster.ExtrasKey]!)(siloBuilder);

        var testFatalErrorHandler = services.LastOrDefault(service => service.ServiceType == typeof(IFatalErrorHandler))
            ?? throw new InvalidOperationException("The test cluster registered no fatal error handler to keep.");
        siloBuilder.AddFailoverCluster(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.Replace(testFatalErrorHandler);
    }
}

/// <summary>Cuts a test silo's node lease renewals off, as a database the silo can no longer reach would.</summary>
public sealed class LeaseSwitch
{
    private volatile bool _cut;

    public bool IsCut => _cut;

    public void Cut() => _cut = true;

    public void Restore() => _cut = false;
}

/// <summary>The silo's membership rows, with lease renewals failing while its <see cref="LeaseSwitch"/> is cut.</summary>
internal sealed class SwitchableMembershipRows(IMembershipRows rows, LeaseSwitch cut) : IMembershipRows
{
    public Task<MembershipRows> ReadAllAsync(CancellationToken cancellationToken) => rows.ReadAllAsync(cancellationToken);

    public Task<DateTime?> RenewLeaseAsync(SiloAddress address, CancellationToken cancellationToken) =>
        cut.IsCut
            ? Task.FromException<DateTime?>(new DatabaseUnavailableException("cannot reach database (cut off by the test)"))
            : rows.RenewLeaseAsync(address, cancellationToken);

    public Task DeleteClusterAsync(CancellationToken cancellationToken) => rows.DeleteClusterAsync(cancellationToken);
}
