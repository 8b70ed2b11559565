using System.Text.Json;
using Failover.Agents.Orders;
using Failover.Storage.Records;

namespace Failover.Agents.Dispatching;

/// <summary>Orders in the record store: kind <c>order</c>, keyed by order id, partitioned by dispatcher, status = state.</summary>
public sealed class OrderStore(IRecordStore records)
{
    public const string Kind = "order";

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    private static readonly string[] OpenStates = [nameof(OrderState.Pending), nameof(OrderState.Processing)];

    public static OrderRecord Deserialize(StoredRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return JsonSerializer.Deserialize<OrderRecord>(record.Payload, Json)
            ?? throw new InvalidDataException($"order {record.Key} is stored as null");
    }

    public static RecordWrite WriteOf(string dispatcher, OrderRecord order, long expectedVersion) =>
        new(order.Id, dispatcher, order.State.ToString(), JsonSerializer.Serialize(order, Json), expectedVersion);

    public Task<IReadOnlyList<RecordWriteResult>> WriteAsync(IReadOnlyList<RecordWrite> writes, CancellationToken cancellationToken) =>
        records.WriteAsync(Kind, writes, cancellationToken);

    public async Task<(OrderRecord Order, StoredRecord Stored)?> ReadAsync(string orderId, CancellationToken cancellationToken) =>
        await records.ReadAsync(Kind, orderId, cancellationToken) is { } stored ? (Deserialize(stored), stored) : null;

    public Task<bool> DeleteAsync(string orderId, long version, CancellationToken cancellationToken) =>
        records.DeleteAsync(Kind, orderId, version, cancellationToken);

    /// <summary>The Pending and Processing orders of <paramref name="dispatcher"/>, all pages.</summary>
    public async Task<IReadOnlyList<(OrderRecord Order, long Version)>> ReadOpenAsync(string dispatcher, CancellationToken cancellationToken)
    {
        var open = new List<(OrderRecord, long)>();
        string? after = null;
        while (true)
        {
            var page = await records.QueryAsync(Kind, new RecordQuery { Partition = dispatcher, Statuses = OpenStates, AfterKey = after, Limit = 1000 }, cancellationToken);
            open.AddRange(page.Select(r => (Deserialize(r), r.Version)));
            if (page.Count < 1000)
            {
                return open;
            }

            after = page[^1].Key;
        }
    }

    /// <summary>Orders by filter, for <c>client orders</c> and file order sources.</summary>
    public async Task<IReadOnlyList<OrderRecord>> QueryAsync(RecordQuery query, CancellationToken cancellationToken) =>
        [.. (await records.QueryAsync(Kind, query, cancellationToken)).Select(Deserialize)];
}
