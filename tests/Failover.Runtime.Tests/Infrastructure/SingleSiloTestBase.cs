namespace Failover.Runtime.Tests.Infrastructure;

/// <summary>One silo on its own SQLite file per test; <see cref="Settings"/> adds configuration.</summary>
public abstract class SingleSiloTestBase : IAsyncLifetime
{
    protected TempDatabase Database { get; } = new();

    protected TestSilo Silo { get; private set; } = null!;

    protected virtual IDictionary<string, string?>? Settings => null;

    public async Task InitializeAsync() => Silo = await TestSilo.StartAsync(Database.Setting, Settings);

    public async Task DisposeAsync()
    {
        await Silo.DisposeAsync();
        Database.Dispose();
    }
}
