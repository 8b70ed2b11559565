namespace Failover.Silo;

/// <summary>The command line or the configuration is wrong; the message is the one line the operator sees.</summary>
internal sealed class UsageException(string message) : Exception(message);
