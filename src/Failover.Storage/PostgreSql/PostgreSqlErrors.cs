using System.Net.Sockets;
using Npgsql;

namespace Failover.Storage.PostgreSql;

/// <summary>Which Npgsql failures mean "the database cannot be reached or refused us", and how to say why in one line.</summary>
internal static class PostgreSqlErrors
{
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        PostgresException postgres => IsConnectionState(postgres.SqlState),
        NpgsqlException or TimeoutException or SocketException or IOException => true,
        _ => false,
    };

    public static string Describe(Exception exception)
    {
        var parts = new List<string>();
        for (var current = exception; current is not null; current = current.InnerException)
        {
            var text = ClusterDatabase.OneLine(current is PostgresException postgres
                ? $"{postgres.SqlState}: {postgres.MessageText}"
                : current.Message);
            if (text.Length > 0 && !parts.Exists(p => p.Contains(text, StringComparison.Ordinal)))
            {
                parts.Add(text);
            }
        }

        return string.Join(": ", parts);
    }

    // 08 connection exception, 28 authorization, 53 insufficient resources (too many connections),
    // 57 operator intervention (shutdown, statement timeout), 3D000 database does not exist.
    private static bool IsConnectionState(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal)
        || sqlState.StartsWith("28", StringComparison.Ordinal)
        || sqlState.StartsWith("53", StringComparison.Ordinal)
        || sqlState.StartsWith("57", StringComparison.Ordinal)
        || sqlState == "3D000";
}
