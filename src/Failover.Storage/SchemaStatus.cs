namespace Failover.Storage;

/// <summary>The outcome of applying the schema: the version before and after, and the scripts that ran.</summary>
public sealed record SchemaStatus(int VersionBefore, int VersionAfter, IReadOnlyList<string> AppliedScripts);
