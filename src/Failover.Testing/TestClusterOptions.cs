using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace Failover.Testing;

public sealed class TestClusterOptions
{
    /// <summary><c>sqlite:PATH</c> or <c>postgres:CONNECTION_STRING</c>, shared by every silo of the cluster.</summary>
    public required string Database { get; init; }

    public string ClusterId { get; init; } = $"test-{Guid.NewGuid():N}"[..20];

    /// <summary>Extra configuration for every silo (e.g. <c>Membership:DeathTimeout</c>).</summary>
    public IDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    public IReadOnlyList<Assembly> GrainAssemblies { get; init; } = [];

    public Action<IServiceCollection>? ConfigureServices { get; init; }
}
