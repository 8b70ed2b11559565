namespace Failover.Storage;

/// <summary>One numbered schema script, e.g. version 2 = <c>002-membership.sql</c>.</summary>
public sealed record SchemaScript(int Version, string Name, string Sql);
