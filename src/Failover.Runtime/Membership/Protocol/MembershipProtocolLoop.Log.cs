using Microsoft.Extensions.Logging;

namespace Failover.Runtime.Membership.Protocol;

internal sealed partial class MembershipProtocolLoop
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Declared silo {SiloAddress} (node {Node}) Dead, cause {Cause}: {Reason}; table version {Version}")]
    private partial void LogDeclaredDead(SiloAddress siloAddress, string node, DeathCause cause, string reason, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Suspecting silo {SiloAddress} (node {Node}), {Votes} of {VotesNeeded} votes: {Reason}; table version {Version}")]
    private partial void LogSuspected(SiloAddress siloAddress, string node, int votes, int votesNeeded, string reason, long version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {SiloAddress} (node {Node}) is now Dead in the membership table (was {OldStatus}); table version {Version}")]
    private partial void LogObservedDead(SiloAddress siloAddress, string node, SiloStatus oldStatus, long version);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Silo {SiloAddress} must stop: {Reason}")]
    private partial void LogExit(SiloAddress siloAddress, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The fatal handler of silo {SiloAddress} failed: {Reason}")]
    private partial void LogFatalHandlerFailed(SiloAddress siloAddress, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {SiloAddress} has not renewed its lease for {Elapsed} (LeaseTimeout {LeaseTimeout}): not probing, voting or declaring deaths until it does")]
    private partial void LogFenced(SiloAddress siloAddress, TimeSpan elapsed, TimeSpan leaseTimeout);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {SiloAddress} holds a valid lease again and resumes failure detection")]
    private partial void LogLeaseRegained(SiloAddress siloAddress);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Membership write about {SiloAddress} lost the compare-and-swap at version {Version}; deciding again next round")]
    private partial void LogLostRace(SiloAddress siloAddress, long version);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Probe of {SiloAddress} failed (refused {Refused}): {Reason}")]
    private partial void LogProbeFailed(SiloAddress siloAddress, bool refused, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Membership protocol round of silo {SiloAddress} failed: {Reason}")]
    private partial void LogRoundFailed(SiloAddress siloAddress, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Membership protocol rounds of silo {SiloAddress} succeed again")]
    private partial void LogRoundsRecovered(SiloAddress siloAddress);
}
