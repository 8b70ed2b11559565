using Failover.Agents.FailoverPairs;

namespace Failover.Agents.Tests.FailoverPairs;

public sealed class FailoverAgentConfigParserTests
{
    private static readonly HashSet<string> Identities = ["platform.driver"];

    private const string Good = """
        {
            "agent_id": "secondary",
            "simple_behavior": false,
            "remote_vip": "tcp://10.0.0.7:11111",
            "remote_serverkey": "",
            "agent_vip_identity": "platform.driver",
            "heartbeat_period": 1,
            "timeout": 2.5
        }
        """;

    [Fact]
    public void A_volttron_config_is_read()
    {
        var config = FailoverAgentConfigParser.Parse("b.json", Good, Identities);

        Assert.Equal(PairRole.Secondary, config.AgentId);
        Assert.Equal(PairBehavior.Standard, config.Behavior);
        Assert.Equal(("10.0.0.7", 11111), (config.RemoteHost, config.RemotePort));
        Assert.Equal("", config.RemoteServerKey);
        Assert.Equal("platform.driver", config.AgentVipIdentity);
        Assert.Equal(TimeSpan.FromSeconds(1), config.HeartbeatPeriod);
        Assert.Equal(TimeSpan.FromSeconds(2.5), config.Timeout);
    }

    [Fact]
    public void A_real_public_key_is_accepted()
    {
        using var directory = new TempDirectory();
        using var keys = SiloKeyPair.LoadOrCreate(directory.Path);

        var config = FailoverAgentConfigParser.Parse("b.json", Good.Replace("\"remote_serverkey\": \"\"", $"\"remote_serverkey\": \"{keys.PublicKey}\"", StringComparison.Ordinal), Identities);

        Assert.Equal(keys.PublicKey, config.RemoteServerKey);
    }

    [Theory]
    [InlineData("\"agent_id\": \"secondary\"", "\"agent_id\": \"tertiary\"", "unknown agent_id \"tertiary\"")]
    [InlineData("\"timeout\": 2.5", "\"timeout\": 2.5, \"colour\": 1", "unknown key 'colour'")]
    [InlineData("\"timeout\": 2.5", "\"timeout\": 1", "timeout (1) must be at least twice heartbeat_period (1)")]
    [InlineData("\"timeout\": 2.5", "\"timeout\": 1.5", "timeout (1.5) must be at least twice heartbeat_period (1)")]
    [InlineData("\"heartbeat_period\": 1", "\"heartbeat_period\": 0.001", "heartbeat_period (0.001) must be at least 0.25 s")]
    [InlineData("\"timeout\": 2.5", "\"timeout\": 0.002", "timeout (0.002) must be at least 1 s")]
    [InlineData("\"remote_vip\": \"tcp://10.0.0.7:11111\"", "\"remote_vip\": \"tcp://no-such-host.invalid:11111\"", "remote_vip host 'no-such-host.invalid' is not an IP address and does not resolve")]
    [InlineData("\"heartbeat_period\": 1", "\"heartbeat_period\": 0", "heartbeat_period must be positive")]
    [InlineData("\"heartbeat_period\": 1", "\"heartbeat_period\": -3", "heartbeat_period must be positive")]
    [InlineData("\"heartbeat_period\": 1", "\"heartbeat_period\": \"1\"", "heartbeat_period must be a number of seconds")]
    [InlineData("\"remote_vip\": \"tcp://10.0.0.7:11111\"", "\"remote_vip\": \"10.0.0.7:11111\"", "remote_vip must be tcp://HOST:PORT")]
    [InlineData("\"remote_vip\": \"tcp://10.0.0.7:11111\"", "\"remote_vip\": \"tcp://10.0.0.7:99999\"", "remote_vip must be tcp://HOST:PORT")]
    [InlineData("\"remote_serverkey\": \"\"", "\"remote_serverkey\": \"not-a-key\"", "remote_serverkey is not a silo public key")]
    [InlineData("\"agent_vip_identity\": \"platform.driver\"", "\"agent_vip_identity\": \"historian\"", "unknown agent_vip_identity 'historian' (ManagedAgents defines: platform.driver)")]
    [InlineData("\"simple_behavior\": false", "\"simple_behavior\": \"no\"", "simple_behavior must be true or false")]
    [InlineData("\"simple_behavior\": false,", "", "missing key 'simple_behavior'")]
    public void Each_problem_is_reported_on_one_line(string from, string to, string expected)
    {
        var failure = Assert.Throws<FailoverAgentConfigException>(
            () => FailoverAgentConfigParser.Parse("b.json", Good.Replace(from, to, StringComparison.Ordinal), Identities));

        Assert.StartsWith("failover agent config 'b.json': ", failure.Message, StringComparison.Ordinal);
        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failure.Message);
    }

    [Fact]
    public void The_flapping_periods_of_the_issue_are_refused_with_their_floors()
    {
        var failure = Assert.Throws<FailoverAgentConfigException>(() => FailoverAgentConfigParser.Parse(
            "b.json", Good.Replace("\"heartbeat_period\": 1", "\"heartbeat_period\": 0.001", StringComparison.Ordinal)
                .Replace("\"timeout\": 2.5", "\"timeout\": 0.002", StringComparison.Ordinal), Identities));

        Assert.Contains("heartbeat_period (0.001) must be at least 0.25 s", failure.Message, StringComparison.Ordinal);
        Assert.Contains("timeout (0.002) must be at least 1 s", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failure.Message);
    }

    [Theory]
    [InlineData("tcp://127.0.0.1:11111")]
    [InlineData("tcp://[::1]:11111")]
    [InlineData("tcp://localhost:11111")]
    public void A_remote_vip_that_is_an_address_or_resolves_is_accepted(string vip)
    {
        var config = FailoverAgentConfigParser.Parse("b.json", Good.Replace("tcp://10.0.0.7:11111", vip, StringComparison.Ordinal), Identities);

        Assert.Equal(11111, config.RemotePort);
    }

    [Fact]
    public void The_remote_host_is_looked_up_once_and_not_for_an_ip_address()
    {
        var lookups = new List<string>();
        bool Resolver(string host)
        {
            lookups.Add(host);
            return true;
        }

        FailoverAgentConfigParser.Parse("a.json", Good.Replace("tcp://10.0.0.7:11111", "tcp://peer.example:11111", StringComparison.Ordinal), Identities, Resolver);
        FailoverAgentConfigParser.Parse("b.json", Good, Identities, Resolver);

        Assert.Equal(["peer.example"], lookups);
    }

    [Fact]
    public void All_problems_of_a_file_come_together()
    {
        var failure = Assert.Throws<FailoverAgentConfigException>(
            () => FailoverAgentConfigParser.Parse("b.json", """{ "agent_id": "x", "timeout": 0 }""", Identities));

        Assert.Contains("unknown agent_id", failure.Message, StringComparison.Ordinal);
        Assert.Contains("missing key 'remote_vip'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("timeout must be positive", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    public void A_file_that_is_not_a_json_object_is_refused(string text)
    {
        Assert.Throws<FailoverAgentConfigException>(() => FailoverAgentConfigParser.Parse("b.json", text, Identities));
    }

    [Fact]
    public void A_missing_file_is_one_line()
    {
        var failure = Assert.Throws<FailoverAgentConfigException>(() => FailoverAgentConfigParser.ParseFile("/nonexistent/pair.json", Identities));

        Assert.Contains("cannot be read", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_as_config_path_is_one_clear_line()
    {
        using var directory = new TempDirectory();

        var failure = Assert.Throws<FailoverAgentConfigException>(() => FailoverAgentConfigParser.ParseFile(directory.Path, Identities));

        Assert.Equal($"failover agent config '{directory.Path}' is a directory, not a file", failure.Message);
    }

    private sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("failover-keys-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
