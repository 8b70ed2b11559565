using Hangfire;
using Hangfire.PostgreSql;

namespace Failover.Benchmarks.Peers.Hangfire;

/// <summary>
/// Hangfire's storage on one PostgreSQL database, configured as Hangfire's documentation recommends (serializer
/// settings of 1.8, an Npgsql connection factory, the schema created by the storage). Used by the nodes and by the
/// driver's client alike; it sets Hangfire's process-wide configuration.
/// </summary>
internal static class HangfireStorage
{
    public static PostgreSqlStorage Create(string connectionString, bool tuned) =>
        GlobalConfiguration.Configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(bootstrap => bootstrap.UseNpgsqlConnection(connectionString), HangfireConfiguration.StorageOptions(tuned))
            .Entry;
}
