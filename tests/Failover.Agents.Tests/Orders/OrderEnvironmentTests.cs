using Failover.Agents.Orders;
using Failover.Agents.Topology;

namespace Failover.Agents.Tests.Orders;

public sealed class OrderEnvironmentTests
{
    [Fact]
    public void The_process_gets_the_jobs_env_the_order_and_its_arguments()
    {
        var job = new JobSpec
        {
            Id = "hello",
            Agent = "agent-1",
            Command = "/bin/echo",
            Env = new Dictionary<string, string> { ["MODE"] = "fast", ["ORDER_ID"] = "from the job" },
        };
        var order = OrderScript.In("Processing2") with
        {
            Arguments = new Dictionary<string, string> { ["file"] = "a.csv", ["Retry_Count"] = "3" },
        };

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["MODE"] = "fast",
                ["ORDER_ARG_Retry_Count"] = "3",
                ["ORDER_ARG_file"] = "a.csv",
                ["ORDER_ATTEMPT"] = "2",
                ["ORDER_ID"] = "o1",
                ["ORDER_JOB"] = "hello",
            },
            OrderEnvironment.For(job, order));
    }
}
