using Failover.Testing;
using System.Text.Json;
using Orleans.Runtime;

namespace Failover.Host.Tests;

public sealed class SiloProcessTests : IDisposable
{
    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_silo_process_joins_Active_and_SIGTERM_leaves_its_row_Dead()
    {
        var ports = SiloPorts.Next();
        await StatusHistory.InstallAsync(_directory.SqliteDatabase);
        await using var silo = Programs.StartSilo(
            "--node", "node-a", "--port", $"{ports.Silo}", "--gateway-port", $"{ports.Gateway}", "--database", _directory.SqliteDatabase);
        await Eventually.True(async () => await MembershipReader.FindAsync(_directory.SqliteDatabase, "node-a", SiloStatus.Active) is not null,
            "the silo's row is Active");

        var (exitCode, output, _) = await Programs.RunClientAsync("members", "--database", _directory.SqliteDatabase, "--json");
        Assert.Equal(0, exitCode);
        var members = JsonDocument.Parse(output).RootElement;
        var member = Assert.Single(members.EnumerateArray());
        Assert.Equal("node-a", member.GetProperty("siloName").GetString());
        Assert.Equal("Active", member.GetProperty("status").GetString());
        Assert.Equal(3, member.GetProperty("statusCode").GetInt32());
        Assert.Equal(ports.Silo, member.GetProperty("port").GetInt32());
        Assert.Equal(ports.Gateway, member.GetProperty("proxyPort").GetInt32());

        silo.Signal(Signals.SigTerm);
        Assert.Equal(0, await silo.WaitForExitAsync(TimeSpan.FromSeconds(60)));

        var row = Assert.Single(await MembershipReader.ReadAsync(_directory.SqliteDatabase));
        Assert.Equal(SiloStatus.Dead, row.Status);
        // Every status the silo wrote to its row, in order, as the database recorded them; and the silo's own log of them.
        Assert.Equal(
            [SiloStatus.Joining, SiloStatus.Active, SiloStatus.ShuttingDown, SiloStatus.Dead],
            await StatusHistory.ReadAsync(_directory.SqliteDatabase, "node-a"));
        var transitions = silo.StandardOutput.Split('\n').Where(l => l.Contains("membership status", StringComparison.Ordinal)).ToList();
        Assert.Collection(transitions,
            l => Assert.Contains("None -> Joining", l, StringComparison.Ordinal),
            l => Assert.Contains("Joining -> Active", l, StringComparison.Ordinal),
            l => Assert.Contains("Active -> ShuttingDown", l, StringComparison.Ordinal),
            l => Assert.Contains("ShuttingDown -> Dead", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_client_members_table_shows_silos_for_people()
    {
        var ports = SiloPorts.Next();
        await using var silo = Programs.StartSilo(
            "--node", "node-b", "--port", $"{ports.Silo}", "--gateway-port", $"{ports.Gateway}", "--database", _directory.SqliteDatabase);
        await Eventually.True(async () => await MembershipReader.FindAsync(_directory.SqliteDatabase, "node-b", SiloStatus.Active) is not null,
            "the silo's row is Active");

        var (exitCode, output, _) = await Programs.RunClientAsync("members", "--database", _directory.SqliteDatabase);

        Assert.Equal(0, exitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("SILO", lines[0], StringComparison.Ordinal);
        Assert.Contains("IAMALIVE AGE", lines[0], StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{ports.Silo}@", lines[2], StringComparison.Ordinal);
        Assert.Contains("Active", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_db_applies_the_schema_once()
    {
        var first = await Programs.RunSiloToExitAsync("init-db", "--database", _directory.SqliteDatabase);
        var second = await Programs.RunSiloToExitAsync("init-db", "--database", _directory.SqliteDatabase);

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("schema version 0 ->", first.Output, StringComparison.Ordinal);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("up to date", second.Output, StringComparison.Ordinal);
    }
}
