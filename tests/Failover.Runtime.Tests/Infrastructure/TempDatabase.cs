using Failover.Storage;

namespace Failover.Storage.Tests.Infrastructure;

/// <summary>A SQLite database file in its own temporary directory, removed afterwards.</summary>
public sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("failover-test-").FullName;
        Path = System.IO.Path.Combine(Directory, "cluster.db");
    }

    public string Directory { get; }

    public string Path { get; }

    public string Setting => $"sqlite:{Path}";

    public DatabaseLocation Location => DatabaseLocation.Parse(Setting);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A handle SQLite still holds on Windows-like filesystems; the temp dir is cleaned by the OS.
        }
    }
}
