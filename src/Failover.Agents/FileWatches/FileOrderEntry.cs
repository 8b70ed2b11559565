namespace Failover.Agents.FileWatches;

/// <summary>One durable order of a file watch; <paramref name="Ended"/> once it is Finished, Failed or Cancelled.</summary>
public sealed record FileOrderEntry(string OrderId, bool Ended);
