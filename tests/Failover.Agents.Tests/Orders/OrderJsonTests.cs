using System.Text.Json;
using System.Text.Json.Nodes;
using Failover.Agents.Orders;

namespace Failover.Agents.Tests.Orders;

/// <summary>The shapes of <c>submit</c>/<c>order</c> and <c>orders</c> (DESIGN §6), with the runtime's web defaults.</summary>
public sealed class OrderJsonTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public void An_order_is_written_with_the_stable_fields_and_states_by_name()
    {
        var order = OrderScript.Run(OrderScript.In("Processing"), "exit code=3");
        var json = JsonNode.Parse(JsonSerializer.Serialize(order, Web))!.AsObject();

        foreach (var key in new[] { "id", "job", "state", "subagent", "attempt", "reason", "exitCode", "history" })
        {
            Assert.True(json.ContainsKey(key), key);
        }

        Assert.Equal("o1", (string?)json["id"]);
        Assert.Equal("Failed", (string?)json["state"]);
        Assert.Equal("NonZeroExit", (string?)json["reason"]);
        Assert.Equal(3, (int?)json["exitCode"]);
        Assert.Equal("a.csv", (string?)json["arguments"]!["file"]);
        Assert.Equal("2025-03-01T12:00:00Z", (string?)json["created"]);
        var last = json["history"]!.AsArray()[^1]!.AsObject();
        Assert.Equal(["time", "state", "detail"], last.Select(p => p.Key));
        Assert.Equal("Failed", (string?)last["state"]);
    }

    [Fact]
    public void An_order_survives_a_json_round_trip()
    {
        var order = OrderScript.In("CancelRequested");
        var back = JsonSerializer.Deserialize<OrderRecord>(JsonSerializer.Serialize(order, Web), Web)!;
        Assert.Equal(order, back);
        Assert.Equal(DateTimeKind.Utc, back.Created.Kind);
    }

    [Fact]
    public void An_orders_row_has_no_history()
    {
        var json = JsonNode.Parse(JsonSerializer.Serialize(OrderSummary.From(OrderScript.In("Finished")), Web))!.AsObject();
        Assert.Equal(["id", "job", "state", "subagent", "attempt", "reason", "exitCode", "created", "updated"], json.Select(p => p.Key));
        Assert.Equal("Finished", (string?)json["state"]);
    }
}
