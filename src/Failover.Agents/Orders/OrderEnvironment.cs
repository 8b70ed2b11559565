using System.Collections.Immutable;
using Failover.Agents.Topology;

namespace Failover.Agents.Orders;

/// <summary>
/// The environment variables an order's process gets on top of the subagent's: the job's <c>env</c>, then
/// <c>ORDER_ID</c>, <c>ORDER_JOB</c>, <c>ORDER_ATTEMPT</c> and one <c>ORDER_ARG_&lt;name&gt;</c> per argument (the name as
/// given, case kept). The <c>ORDER_</c> variables win over a job variable of the same name.
/// </summary>
public static class OrderEnvironment
{
    public const string IdVariable = "ORDER_ID";
    public const string JobVariable = "ORDER_JOB";
    public const string AttemptVariable = "ORDER_ATTEMPT";
    public const string ArgumentPrefix = "ORDER_ARG_";

    public static IReadOnlyDictionary<string, string> For(JobSpec job, OrderRecord order)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(order);
        var variables = job.Env.ToDictionary(StringComparer.Ordinal);
        variables[IdVariable] = order.Id;
        variables[JobVariable] = order.Job;
        variables[AttemptVariable] = order.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (name, value) in order.Arguments)
        {
            variables[ArgumentPrefix + name] = value;
        }

        return variables.ToImmutableSortedDictionary(StringComparer.Ordinal);
    }
}
