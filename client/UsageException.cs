namespace Failover.Client;

/// <summary>The command line is wrong; the message is the one line the user sees.</summary>
internal sealed class UsageException(string message) : Exception(message);
