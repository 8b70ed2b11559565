using System.Text.Json;
using Failover.Testing;
using Orleans.Runtime;

namespace Failover.Host.Tests;

/// <summary>
/// <c>client members</c> reads Orleans' membership table itself: it shows every Orleans silo in it, also one of a stock
/// Orleans program that uses the official ADO.NET clustering provider on the same database and nothing of ours.
/// </summary>
public sealed class StockOrleansSiloTests : IDisposable
{
    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Client_members_shows_a_stock_Orleans_silo_beside_ours()
    {
        var (oursPorts, stockPorts) = (SiloPorts.Next(), SiloPorts.Next());
        await using var ours = Programs.StartSilo(
            "--node", "ours", "--port", $"{oursPorts.Silo}", "--gateway-port", $"{oursPorts.Gateway}", "--database", _directory.SqliteDatabase);
        await Eventually.True(async () => await MembershipReader.FindAsync(_directory.SqliteDatabase, "ours", SiloStatus.Active) is not null,
            "our silo's row is Active");
        await using var stock = Programs.StartTestHost(
            "--node", "stock", "--port", $"{stockPorts.Silo}", "--gateway-port", $"{stockPorts.Gateway}", "--database", _directory.SqliteDatabase,
            "--cluster-id", "default", "--stock", "yes");
        await Eventually.True(async () => await MembershipReader.FindAsync(_directory.SqliteDatabase, "stock", SiloStatus.Active) is not null,
            "the stock Orleans silo's row is Active");

        var (exitCode, output, error) = await Programs.RunClientAsync("members", "--database", _directory.SqliteDatabase, "--json");

        Assert.True(exitCode == 0, error);
        var members = JsonDocument.Parse(output).RootElement.EnumerateArray().ToDictionary(m => m.GetProperty("siloName").GetString()!);
        Assert.Equal("Active", members["ours"].GetProperty("status").GetString());
        Assert.Equal("Active", members["stock"].GetProperty("status").GetString());
        Assert.Equal(3, members["stock"].GetProperty("statusCode").GetInt32());
    }
}
