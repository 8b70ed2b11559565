using Failover.Agents.Dispatching;
using Failover.Agents.Orders;
using Failover.Agents.Topology;
using Orleans;
using Orleans.Runtime;
using Failover.Storage.Records;

namespace Failover.Agents.FileWatches;

/// <summary>File orders go to their job's dispatcher like any order; the durable set is read from the record store.</summary>
internal sealed class DispatcherFileOrderSink(TopologyView topology, IGrainFactory grains, IRecordStore records) : IFileOrderSink
{
    private readonly OrderStore _orders = new(records);

    public async Task<IReadOnlyList<FileOrderEntry>> ListAsync(string watchId, CancellationToken cancellationToken)
    {
        var entries = new List<FileOrderEntry>();
        string? after = null;
        while (true)
        {
            var page = await _orders.QueryAsync(new RecordQuery { KeyPrefix = FileOrderIds.WatchPrefix(watchId), AfterKey = after, Limit = 1000 }, cancellationToken);
            entries.AddRange(page.Select(o => new FileOrderEntry(o.Id, o.State.IsTerminal())));
            if (page.Count < 1000)
            {
                return entries;
            }

            after = page[^1].Id;
        }
    }

    public async Task SubmitAsync(string orderId, string job, IReadOnlyDictionary<string, string> arguments, CancellationToken cancellationToken)
    {
        var spec = topology.Current.FindJob(job) ?? throw new InvalidOperationException($"file order {orderId}: there is no job '{job}'");
        var result = await grains.GetGrain<IJobDispatcherGrain>(DispatcherKeys.ForJob(spec))
            .Submit(new OrderRequest { Id = orderId, Job = job, Arguments = arguments }).WaitAsync(cancellationToken);
        if (!result.Accepted)
        {
            throw new InvalidOperationException($"file order {orderId} refused: {result.Refusal}");
        }
    }

    public async Task<bool> ForgetAsync(string orderId, CancellationToken cancellationToken) =>
        await records.ReadAsync(OrderStore.Kind, orderId, cancellationToken) is { } stored
        && await grains.GetGrain<IJobDispatcherGrain>(stored.Partition).Forget(orderId).WaitAsync(cancellationToken);
}
