using System.Text.Json;

namespace Failover.Host.Tests.FailoverPairs;

/// <summary>Bad failover agent config files: one clear line, exit code 2, nothing starts.</summary>
public sealed class PairConfigErrorTests : IDisposable
{
    private readonly TestDirectory _directory = new();

    [Theory]
    [InlineData("\"agent_id\": \"primary\"", "\"agent_id\": \"tertiary\"", "unknown agent_id \"tertiary\"")]
    [InlineData("\"timeout\": 2,", "", "missing key 'timeout'")]
    [InlineData("\"timeout\": 2,", "\"timeout\": 2, \"colour\": \"red\",", "unknown key 'colour'")]
    [InlineData("\"heartbeat_period\": 1", "\"heartbeat_period\": 0", "heartbeat_period must be positive")]
    [InlineData("\"timeout\": 2,", "\"timeout\": 1,", "timeout (1) must be at least twice heartbeat_period (1)")]
    [InlineData("\"heartbeat_period\": 1", "\"heartbeat_period\": 0.001", "heartbeat_period (0.001) must be at least 0.25 s")]
    [InlineData("\"timeout\": 2,", "\"timeout\": 0.002,", "timeout (0.002) must be at least 1 s")]
    [InlineData("\"remote_vip\": \"tcp://127.0.0.1:1\"", "\"remote_vip\": \"tcp://no-such-host.invalid:1\"", "remote_vip host 'no-such-host.invalid' is not an IP address and does not resolve")]
    [InlineData("\"remote_vip\": \"tcp://127.0.0.1:1\"", "\"remote_vip\": \"127.0.0.1\"", "remote_vip must be tcp://HOST:PORT")]
    [InlineData("\"agent_vip_identity\": \"demo.agent\"", "\"agent_vip_identity\": \"other\"", "unknown agent_vip_identity 'other'")]
    public async Task A_bad_pair_config_is_one_line_and_nothing_starts(string from, string to, string expected)
    {
        var pairFile = Path.Combine(_directory.Path, "pair.json");
        File.WriteAllText(pairFile, """
            { "agent_id": "primary", "simple_behavior": false, "remote_vip": "tcp://127.0.0.1:1", "remote_serverkey": "",
              "timeout": 2, "agent_vip_identity": "demo.agent", "heartbeat_period": 1 }
            """.Replace(from, to, StringComparison.Ordinal));
        var marker = Path.Combine(_directory.Path, "started");

        var (exitCode, output, error) = await RunSiloAsync(pairFile, marker);

        Assert.Equal(2, exitCode);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: failover agent config", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("Listening", output, StringComparison.Ordinal);
        Assert.False(File.Exists(marker));
        Assert.False(File.Exists(Path.Combine(_directory.Path, "cluster.db")), "the silo touched its database");
    }

    [Fact]
    public async Task A_missing_pair_config_file_is_one_line()
    {
        var (exitCode, _, error) = await RunSiloAsync(Path.Combine(_directory.Path, "absent.json"), Path.Combine(_directory.Path, "started"));

        Assert.Equal(2, exitCode);
        Assert.Contains("cannot be read", Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_directory_as_pair_config_path_is_one_line()
    {
        var (exitCode, _, error) = await RunSiloAsync(_directory.Path, Path.Combine(_directory.Path, "started"));

        Assert.Equal(2, exitCode);
        Assert.Equal($"error: failover agent config '{_directory.Path}' is a directory, not a file", Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    public void Dispose() => _directory.Dispose();

    private async Task<(int ExitCode, string Output, string Error)> RunSiloAsync(string pairFile, string marker)
    {
        var siloFile = Path.Combine(_directory.Path, "silo.json");
        File.WriteAllText(siloFile, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["ManagedAgents"] = new Dictionary<string, object> { ["demo.agent"] = new { Command = "/usr/bin/touch", Args = new[] { marker } } },
            ["FailoverAgents"] = new[] { pairFile },
        }));
        var ports = SiloPorts.Next();
        return await Programs.RunSiloToExitAsync(
            "--node", "bad-config", "--port", $"{ports.Silo}", "--gateway-port", $"{ports.Gateway}", "--http-port", $"{ports.Http}",
            "--database", _directory.SqliteDatabase, "--config", siloFile, "--data-directory", _directory.Path);
    }
}
