namespace Failover.Runtime.Membership.Protocol;

/// <summary>
/// Called once when this silo finds itself Dead in the membership table. The silo must stop for good (Orleans
/// fail-fasts here): the host implements it by ending the process with a non-zero exit code.
/// </summary>
public interface ISiloFatalHandler
{
    void OnFatal(string reason);
}
