using System.Globalization;
using Failover.Agents.Orders;

namespace Failover.Agents.Tests.Orders;

/// <summary>
/// Orders in named situations and inputs written as one line, so transition tables stay readable. Inputs are a verb and
/// <c>key=value</c> options; defaults are subagent <c>sub-a</c>, attempt 1, epoch 5:
/// <c>start</c>, <c>wait</c>, <c>exit code=3</c>, <c>fail reason=StartFailed</c>, <c>cancel</c>, <c>timeout</c>,
/// <c>lost restartable=true</c>, <c>reattach epoch=6</c>, <c>job-missing</c>.
/// </summary>
public static class OrderScript
{
    public static readonly DateTime T0 = new(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    public static readonly DateTime Later = T0.AddMinutes(1);

    public static IReadOnlyDictionary<string, string> Arguments { get; } = new Dictionary<string, string> { ["file"] = "a.csv" };

    /// <summary>
    /// Pending (new), Pending2 (attempt 1 lost on sub-a under epoch 5, attempt 2 waits), Processing (attempt 1 on sub-a,
    /// epoch 5), Processing2 (attempt 2 on sub-b, epoch 6), CancelRequested (Processing, then cancelled), Finished (exit
    /// 0), Failed (exit 3), Cancelled (while Pending).
    /// </summary>
    public static OrderRecord In(string situation)
    {
        var pending = OrderMachine.Submit("o1", "hello", Arguments, T0).Order;
        var processing = Run(pending, "start");
        var pending2 = Run(processing, "lost restartable=true");
        return situation switch
        {
            "Pending" => pending,
            "Pending2" => pending2,
            "Processing" => processing,
            "Processing2" => Run(pending2, "start sub=sub-b attempt=2 epoch=6"),
            "CancelRequested" => Run(processing, "cancel"),
            "Finished" => Run(processing, "exit code=0"),
            "Failed" => Run(processing, "exit code=3"),
            "Cancelled" => Run(pending, "cancel"),
            _ => throw new ArgumentException($"unknown situation {situation}", nameof(situation)),
        };
    }

    public static OrderRecord Run(OrderRecord order, string input) => Step(order, input, T0).Order;

    public static OrderStep Step(OrderRecord order, string input, DateTime now)
    {
        var words = input.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var options = words.Skip(1).Select(w => w.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var subagent = options.GetValueOrDefault("sub", "sub-a");
        var attempt = int.Parse(options.GetValueOrDefault("attempt", "1"), CultureInfo.InvariantCulture);
        var epoch = long.Parse(options.GetValueOrDefault("epoch", "5"), CultureInfo.InvariantCulture);
        return words[0] switch
        {
            "start" => OrderMachine.Start(order, subagent, attempt, epoch, now),
            "wait" => OrderMachine.Wait(order, options.GetValueOrDefault("reason", "nothing available"), now),
            "exit" => OrderMachine.Exited(order, attempt, epoch, int.Parse(options["code"], CultureInfo.InvariantCulture), now),
            "fail" => OrderMachine.Failed(order, attempt, epoch, Enum.Parse<OrderReason>(options.GetValueOrDefault("reason", "StartFailed")), "no such file", now),
            "cancel" => OrderMachine.Cancel(order, now),
            "timeout" => OrderMachine.TimedOut(order, attempt, TimeSpan.FromSeconds(30), now),
            "lost" => OrderMachine.SubagentLost(order, subagent, bool.Parse(options.GetValueOrDefault("restartable", "false")), now),
            "reattach" => OrderMachine.Reattach(order, subagent, attempt, epoch, now),
            "job-missing" => OrderMachine.JobMissing(order, now),
            _ => throw new ArgumentException($"unknown input {input}", nameof(input)),
        };
    }

    /// <summary>Commands as <c>start sub-a 1; kill sub-b 2</c>.</summary>
    public static string Text(IEnumerable<OrderCommand> commands) =>
        string.Join("; ", commands.Select(c => $"{(c is StartProcess ? "start" : "kill")} {c.Subagent} {c.Attempt}"));
}
