using Failover.Storage;

namespace Failover.Client;

/// <summary>
/// The one line a failure shows the user, in the words of what happened rather than of the types that carried it;
/// null for a failure no user can act on (a bug: it keeps its stack trace).
/// </summary>
internal static class UserErrors
{
    public static string? Describe(Exception exception) => exception switch
    {
        DatabaseUnavailableException or SchemaVersionException or Failover.Hosting.Clients.ClusterUnavailableException => OneLine(exception.Message),
        Orleans.Runtime.SiloUnavailableException => "the silo that was handling the command went away; try again",
        TimeoutException => "the cluster did not answer in time; try again",
        Orleans.Runtime.OrleansException => $"the cluster failed the command: {OneLine(exception.Message)}",
        FormatException or InvalidOperationException or IOException or UnauthorizedAccessException => OneLine(exception.Message),
        AggregateException { InnerExceptions.Count: 1 } aggregate => Describe(aggregate.InnerExceptions[0]),
        _ => null,
    };

    /// <summary>A message on one line; Orleans appends the whole request (grain ids, silo addresses) after its first.</summary>
    private static string OneLine(string message) =>
        string.Join(' ', message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
