using System.Text.Json;
using Failover.Agents.Orders;
using Failover.Storage.Persistence;
using Failover.Storage.Records;

namespace Failover.Agents.Dispatching;

/// <summary>
/// Orders in the record store: kind <c>order</c>, keyed by order id, partitioned by dispatcher, status = state. Every
/// write and delete carries the fence of the dispatcher activation that makes it (its claim in the fenced grain
/// directory): once another activation has claimed the dispatcher, each of them fails with
/// <see cref="StaleDispatcherException"/> and writes nothing.
/// </summary>
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

    public async Task<IReadOnlyList<RecordWriteResult>> WriteAsync(IReadOnlyList<RecordWrite> writes, ActivationFence fence, CancellationToken cancellationToken)
    {
        try
        {
            return await records.WriteAsync(Kind, writes, fence, cancellationToken);
        }
        catch (ActivationFencedException exception)
        {
            throw Stale(fence, exception);
        }
    }

    /// <summary>Writes a dispatcher's batch, each order at the version its entry holds; the results go to <see cref="DispatcherCore.Committed"/>.</summary>
    internal async Task<IReadOnlyList<RecordWriteResult>> WriteBatchAsync(string dispatcher, OrderBatch batch, ActivationFence fence, CancellationToken cancellationToken) =>
        batch.Writes.Count == 0
            ? []
            : await WriteAsync([.. batch.Writes.Select(w => WriteOf(dispatcher, w.Record, w.Entry.Version))], fence, cancellationToken);

    public async Task<(OrderRecord Order, StoredRecord Stored)?> ReadAsync(string orderId, CancellationToken cancellationToken) =>
        await records.ReadAsync(Kind, orderId, cancellationToken) is { } stored ? (Deserialize(stored), stored) : null;

    public async Task<bool> DeleteAsync(string orderId, long version, ActivationFence fence, CancellationToken cancellationToken)
    {
        try
        {
            return await records.DeleteAsync(Kind, orderId, version, fence, cancellationToken);
        }
        catch (ActivationFencedException exception)
        {
            throw Stale(fence, exception);
        }
    }

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

    private static StaleDispatcherException Stale(ActivationFence fence, ActivationFencedException exception) =>
        new($"dispatcher {fence.GrainId} with epoch {fence.Epoch} is no longer the claimed activation: {exception.Message}", exception);
}
