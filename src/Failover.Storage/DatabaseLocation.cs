namespace Failover.Storage;

/// <summary>
/// Where the cluster's tables live, as written on the command line: <c>sqlite:PATH</c> or
/// <c>postgres:CONNECTION_STRING</c>. <see cref="ToString"/> never shows a password.
/// </summary>
public sealed record DatabaseLocation(DatabaseKind Kind, string ConnectionString)
{
    public const string Default = "sqlite:./data/cluster.db";

    public static DatabaseLocation Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.StartsWith("sqlite:", StringComparison.Ordinal))
        {
            var path = value["sqlite:".Length..];
            if (path.Length == 0)
            {
                throw new FormatException("--database sqlite: needs a file path, e.g. sqlite:./data/cluster.db");
            }

            return new DatabaseLocation(DatabaseKind.Sqlite, path);
        }

        foreach (var prefix in new[] { "postgres:", "postgresql:" })
        {
            if (value.StartsWith(prefix, StringComparison.Ordinal))
            {
                var connectionString = value[prefix.Length..];
                if (connectionString.Length == 0)
                {
                    throw new FormatException("--database postgres: needs an Npgsql connection string, e.g. postgres:Host=localhost;Username=app;Database=cluster");
                }

                return new DatabaseLocation(DatabaseKind.PostgreSql, connectionString);
            }
        }

        throw new FormatException($"--database must be sqlite:PATH or postgres:CONNECTION_STRING (got '{Redact(value)}')");
    }

    public override string ToString() => Kind switch
    {
        DatabaseKind.Sqlite => $"sqlite:{ConnectionString}",
        _ => $"postgres:{Redact(ConnectionString)}",
    };

    private static string Redact(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, "(?i)(password|pwd)\\s*=[^;]*", "$1=***");
}
