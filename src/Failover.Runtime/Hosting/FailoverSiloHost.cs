using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Failover.Runtime.Hosting;

/// <summary>Builds a host that runs a silo inside an application (no HTTP endpoint), from plain settings.</summary>
public static class FailoverSiloHost
{
    /// <param name="settings">Configuration keys as in a silo config file: Node, Port, Database, Membership:…, Grains:….</param>
    public static HostApplicationBuilder CreateBuilder(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddFailoverSilo(builder.Configuration);
        return builder;
    }
}
