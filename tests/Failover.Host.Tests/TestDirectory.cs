using System.Net;
using System.Net.Sockets;

namespace Failover.Host.Tests;

/// <summary>A temporary directory for one test's database and config files.</summary>
public sealed class TestDirectory : IDisposable
{
    public TestDirectory()
    {
        Path = Directory.CreateTempSubdirectory("failover-host-test-").FullName;
    }

    public string Path { get; }

    public string SqliteDatabase => $"sqlite:{System.IO.Path.Combine(Path, "cluster.db")}";

    public string DatabaseFile => System.IO.Path.Combine(Path, "cluster.db");

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public string WriteFile(string name, string content)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, content);
        return file;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
