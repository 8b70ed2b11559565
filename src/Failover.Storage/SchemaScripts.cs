using System.Globalization;

namespace Failover.Storage;

/// <summary>
/// The schema scripts embedded from sql/&lt;kind&gt;/ (named <c>NNN-concern.sql</c>), ordered by number.
/// The highest number is the schema version this binary knows.
/// </summary>
public static class SchemaScripts
{
    private static readonly Lazy<IReadOnlyList<SchemaScript>> PostgreSqlScripts = new(() => Load("postgresql"));
    private static readonly Lazy<IReadOnlyList<SchemaScript>> SqliteScripts = new(() => Load("sqlite"));

    public static IReadOnlyList<SchemaScript> For(DatabaseKind kind) => kind switch
    {
        DatabaseKind.PostgreSql => PostgreSqlScripts.Value,
        DatabaseKind.Sqlite => SqliteScripts.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown database kind"),
    };

    /// <summary>The highest schema version this binary can apply for <paramref name="kind"/>.</summary>
    public static int LatestVersion(DatabaseKind kind) => For(kind)[^1].Version;

    /// <summary>Throws <see cref="SchemaVersionException"/> when the database is newer than this binary.</summary>
    internal static void ThrowIfNewer(DatabaseLocation location, int databaseVersion)
    {
        var supported = LatestVersion(location.Kind);
        if (databaseVersion > supported)
        {
            throw new SchemaVersionException(
                $"Database {location} has schema version {databaseVersion} but this binary knows only up to {supported}: run a newer release.")
            {
                DatabaseVersion = databaseVersion,
                SupportedVersion = supported,
            };
        }
    }

    private static List<SchemaScript> Load(string folder)
    {
        var assembly = typeof(SchemaScripts).Assembly;
        var prefix = $"sql/{folder}/";
        var scripts = new List<SchemaScript>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(prefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var name = resource[prefix.Length..];
            var dash = name.IndexOf('-', StringComparison.Ordinal);
            if (dash <= 0
                || !int.TryParse(name.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
                || version <= 0)
            {
                throw new InvalidOperationException($"Embedded schema script '{resource}' is not named NNN-concern.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"Embedded schema script '{resource}' cannot be read.");
            using var reader = new StreamReader(stream);
            scripts.Add(new SchemaScript(version, name, reader.ReadToEnd()));
        }

        scripts.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < scripts.Count; i++)
        {
            if (scripts[i].Version != i + 1)
            {
                throw new InvalidOperationException(
                    $"Schema scripts in sql/{folder}/ must be numbered 1..n without gaps or duplicates; found {string.Join(", ", scripts.Select(s => s.Name))}.");
            }
        }

        if (scripts.Count == 0)
        {
            throw new InvalidOperationException($"No schema scripts are embedded for sql/{folder}/.");
        }

        return scripts;
    }
}
