namespace Failover.Agents.FailoverPairs;

/// <summary>VOLTTRON's <c>agent_id</c>: which side of the pair this failover agent is.</summary>
public enum PairRole
{
    Primary,
    Secondary,
}

/// <summary>Standard behavior asks the witness ("central") before the secondary starts; simple behavior does without it.</summary>
public enum PairBehavior
{
    Standard,
    Simple,
}

internal static class PairNames
{
    public static string Of(PairRole role) => role == PairRole.Primary ? "primary" : "secondary";

    public static string Of(PairBehavior behavior) => behavior == PairBehavior.Standard ? "standard" : "simple";

    public static PairRole Peer(PairRole role) => role == PairRole.Primary ? PairRole.Secondary : PairRole.Primary;
}
