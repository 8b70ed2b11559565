using Failover.Hosting.Leases;
using Failover.Hosting.Membership;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Failover.Hosting.Tests;

/// <summary>
/// The silo's options as <c>AddFailoverCluster</c> registers them, bound from configuration in a silo host that is built
/// but not started: a value that cannot work is refused with one clear line naming it (invariant 5).
/// </summary>
public sealed class OptionsValidationTests
{
    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["Node"] = "node-a",
        ["Host"] = "127.0.0.1",
        ["Port"] = "11111",
        ["Database"] = "sqlite:./data/cluster.db",
    };

    [Fact]
    public void Valid_options_and_the_tuned_defaults_pass()
    {
        using var silo = Silo();

        var options = silo.Services.GetRequiredService<IOptions<FailoverSiloOptions>>().Value;
        var lease = silo.Services.GetRequiredService<IOptions<NodeLeaseOptions>>().Value;
        var membership = silo.Services.GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;

        Assert.Equal(("node-a", 11111, 11112), (options.Node, options.Port, options.EffectiveGatewayPort));
        Assert.Equal((TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1)), (lease.RenewPeriod, lease.Timeout));
        Assert.Equal(TimeSpan.FromMilliseconds(500), membership.ProbeTimeout);
        Assert.True(lease.Timeout < membership.MinProbeTimeout * membership.NumMissedProbesLimit);
        Assert.Equal(TimeSpan.FromSeconds(5), silo.Services.GetRequiredService<IOptions<SiloMessagingOptions>>().Value.ResponseTimeout);
    }

    [Theory]
    [InlineData("Host", "node-a.example", "--host must be an IP address, not 'node-a.example'")]
    [InlineData("Host", "", "--host must be an IP address, not ''")]
    [InlineData("GatewayPort", "11111", "--gateway-port must differ from --port (11111)")]
    [InlineData("GatewayPort", "70000", "--gateway-port must be between 1 and 65535")]
    [InlineData("Port", "0", "--port must be between 1 and 65535")]
    [InlineData("Node", "", "--node is required")]
    [InlineData("Node", "node a", "--node must be 1-150 letters, digits")]
    [InlineData("Database", "mysql:Server=db", "--database must be sqlite:PATH or postgres:CONNECTION_STRING (got 'mysql:Server=db')")]
    [InlineData("Database", "sqlite:", "--database sqlite: needs a file path")]
    [InlineData("Database", "postgres:", "--database postgres: needs an Npgsql connection string")]
    [InlineData("ClusterId", "", "--cluster-id must not be empty")]
    public void A_bad_silo_option_is_refused_with_one_line_naming_it(string key, string value, string expected)
    {
        using var silo = Silo(new() { [key] = value });

        var failure = Assert.Single(Failures<FailoverSiloOptions>(silo));

        Assert.StartsWith(expected, failure, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failure);
    }

    [Fact]
    public void Port_65535_needs_an_explicit_gateway_port()
    {
        using var without = Silo(new() { ["Port"] = "65535" });
        using var with = Silo(new() { ["Port"] = "65535", ["GatewayPort"] = "30000" });

        Assert.Equal(
            "--gateway-port is needed when --port is 65535 (the default gateway port is --port + 1)",
            Assert.Single(Failures<FailoverSiloOptions>(without)));
        Assert.Empty(Failures<FailoverSiloOptions>(with));
    }

    [Theory]
    [InlineData("00:00:00.005", "00:00:01", "Lease:RenewPeriod must be between 10 ms and 1 minute (got 5 ms)")]
    [InlineData("00:02:00", "00:05:00", "Lease:RenewPeriod must be between 10 ms and 1 minute (got 120000 ms)")]
    [InlineData("00:00:00.250", "00:00:00.250", "Lease:Timeout (250 ms) must be longer than Lease:RenewPeriod (250 ms)")]
    [InlineData("00:00:00.250", "00:00:00.100", "Lease:Timeout (100 ms) must be longer than Lease:RenewPeriod (250 ms)")]
    public void A_bad_lease_is_refused_with_one_line_naming_it(string renewPeriod, string timeout, string expected)
    {
        using var silo = Silo(new() { ["Lease:RenewPeriod"] = renewPeriod, ["Lease:Timeout"] = timeout });

        var failure = Assert.Single(Failures<NodeLeaseOptions>(silo));

        Assert.Contains($"'{expected}'", failure, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failure);
    }

    [Fact]
    public void An_unknown_key_in_the_lease_section_is_refused()
    {
        using var silo = Silo(new() { ["Lease:Timeuot"] = "00:00:02" });

        var error = Assert.Throws<InvalidOperationException>(() => silo.Services.GetRequiredService<IOptions<NodeLeaseOptions>>().Value);

        Assert.Contains("Timeuot", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_lease_must_lapse_before_peers_may_declare_the_silo_Dead()
    {
        // Orleans 10.4.2 adapts its probe timeout down to MinProbeTimeout: three missed probes may take 3 x 250 ms.
        using var tooLong = Silo(new()
        {
            ["Lease:Timeout"] = "00:00:01",
            ["Membership:ProbeTimeout"] = "00:00:00.500",
            ["Membership:MinProbeTimeout"] = "00:00:00.250",
            ["Membership:NumMissedProbesLimit"] = "3",
        });
        using var justShorter = Silo(new()
        {
            ["Lease:Timeout"] = "00:00:00.749",
            ["Membership:ProbeTimeout"] = "00:00:00.500",
            ["Membership:MinProbeTimeout"] = "00:00:00.250",
            ["Membership:NumMissedProbesLimit"] = "3",
        });

        Assert.Equal(
            "Lease:Timeout (1000 ms) must be shorter than Membership:MinProbeTimeout x NumMissedProbesLimit (750 ms): a silo must stop acting before others may declare it Dead",
            Assert.Single(Failures<ClusterMembershipOptions>(tooLong)));
        Assert.Empty(Failures<ClusterMembershipOptions>(justShorter));
    }

    [Theory]
    [InlineData("ProbeTimeout", "00:00:00.050", "Membership:ProbeTimeout must be at least 100 ms (got 50 ms)")]
    [InlineData("NumMissedProbesLimit", "0", "Membership:NumMissedProbesLimit and Membership:NumVotesForDeathDeclaration must be at least 1")]
    [InlineData("NumVotesForDeathDeclaration", "0", "Membership:NumMissedProbesLimit and Membership:NumVotesForDeathDeclaration must be at least 1")]
    [InlineData("TableRefreshTimeout", "00:00:00", "Membership:TableRefreshTimeout must be positive")]
    public void A_bad_membership_option_is_refused_with_one_line_naming_it(string key, string value, string expected)
    {
        // A long lease timeout would be refused too where probes are short: keep the lease out of these.
        using var silo = Silo(new()
        {
            [$"Membership:{key}"] = value,
            ["Membership:MinProbeTimeout"] = "00:00:00.050",
            ["Lease:RenewPeriod"] = "00:00:00.010",
            ["Lease:Timeout"] = "00:00:00.011",
        });

        Assert.Equal(expected, Assert.Single(Failures<ClusterMembershipOptions>(silo)));
    }

    [Fact]
    public void The_validator_refuses_the_lease_against_the_membership_options_it_is_given()
    {
        var validator = new TunedMembershipValidator(Options.Create(new NodeLeaseOptions { Timeout = TimeSpan.FromSeconds(2) }));
        var options = new ClusterMembershipOptions();
        TunedMembership.ApplyDefaults(options);

        Assert.True(validator.Validate(null, options).Failed);
        options.MinProbeTimeout = TimeSpan.FromMilliseconds(700);
        options.MaxProbeTimeout = TimeSpan.FromMilliseconds(700);
        options.ProbeTimeout = TimeSpan.FromMilliseconds(700);
        Assert.True(validator.Validate(null, options).Succeeded);
    }

    /// <summary>A silo host with <c>AddFailoverCluster</c> on <see cref="Valid"/> with <paramref name="overrides"/>; built, never started.</summary>
    private static IHost Silo(Dictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>(Valid);
        foreach (var (key, value) in overrides ?? [])
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleans(silo => silo.AddFailoverCluster(configuration));
        return builder.Build();
    }

    /// <summary>What reading the options refuses, one entry per failure (empty when they are valid).</summary>
    private static IReadOnlyList<string> Failures<TOptions>(IHost silo)
        where TOptions : class
    {
        try
        {
            _ = silo.Services.GetRequiredService<IOptions<TOptions>>().Value;
            return [];
        }
        catch (OptionsValidationException exception)
        {
            return [.. exception.Failures];
        }
    }
}
