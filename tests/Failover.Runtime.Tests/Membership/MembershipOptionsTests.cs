using System.ComponentModel.DataAnnotations;
using Failover.Runtime.Configuration;

namespace Failover.Runtime.Tests.MembershipProtocol;

public sealed class MembershipOptionsTests
{
    [Fact]
    public void Defaults_are_valid_and_faster_than_Orleans()
    {
        var options = new MembershipOptions();

        Assert.Empty(Validate(options));
        Assert.Equal((3, 2), (options.NumMissedProbesLimit, options.NumVotesForDeath));
        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(500)), (options.DeathVoteExpiration, options.ProbeTimeout));
    }

    public static TheoryData<string, Action<MembershipOptions>, string> InvalidCases => new()
    {
        { "missed 0", o => o.NumMissedProbesLimit = 0, nameof(MembershipOptions.NumMissedProbesLimit) },
        { "missed 101", o => o.NumMissedProbesLimit = 101, nameof(MembershipOptions.NumMissedProbesLimit) },
        { "votes 0", o => o.NumVotesForDeath = 0, nameof(MembershipOptions.NumVotesForDeath) },
        { "votes 101", o => o.NumVotesForDeath = 101, nameof(MembershipOptions.NumVotesForDeath) },
        { "vote expiration 0", o => o.DeathVoteExpiration = TimeSpan.Zero, nameof(MembershipOptions.DeathVoteExpiration) },
        { "vote expiration <= probe period", o => o.DeathVoteExpiration = o.ProbePeriod, nameof(MembershipOptions.DeathVoteExpiration) },
        { "probe timeout 0", o => o.ProbeTimeout = TimeSpan.Zero, nameof(MembershipOptions.ProbeTimeout) },
        { "probe timeout > death timeout", o => o.ProbeTimeout = o.DeathTimeout + TimeSpan.FromMilliseconds(1), nameof(MembershipOptions.ProbeTimeout) },
    };

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Out_of_range_detection_settings_are_named_errors(string because, Action<MembershipOptions> change, string member)
    {
        var options = new MembershipOptions();
        change(options);

        var errors = Validate(options);

        Assert.True(errors.Any(e => e.MemberNames.Contains(member)), because);
    }

    [Fact]
    public void A_probe_timeout_equal_to_DeathTimeout_is_allowed()
    {
        var options = new MembershipOptions();
        options.ProbeTimeout = options.DeathTimeout;

        Assert.Empty(Validate(options));
    }

    private static List<ValidationResult> Validate(MembershipOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
