using Failover.Storage.PostgreSql;
using Failover.Storage.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Failover.Storage;

/// <summary>Opens the cluster database named by a <see cref="DatabaseLocation"/> with the matching provider.</summary>
public static class ClusterDatabase
{
    /// <summary>
    /// Creates the provider without connecting (use <see cref="IClusterDatabase.CheckConnectionAsync"/>).
    /// A malformed connection string or path throws <see cref="FormatException"/> with one line fit for an operator.
    /// </summary>
    public static IClusterDatabase Open(DatabaseLocation location, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(location);
        var loggers = loggerFactory ?? NullLoggerFactory.Instance;
        return location.Kind switch
        {
            DatabaseKind.PostgreSql => PostgreSqlClusterDatabase.Open(location, loggers),
            DatabaseKind.Sqlite => SqliteClusterDatabase.Open(location, loggers),
            _ => throw new ArgumentOutOfRangeException(nameof(location), location.Kind, "unknown database kind"),
        };
    }

    internal static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
