namespace Failover.Agents.FileWatches;

/// <summary>What a listing says about a file; a file is unchanged while its stamp is.</summary>
internal readonly record struct FileStamp(long Size, DateTimeOffset LastWrite);
