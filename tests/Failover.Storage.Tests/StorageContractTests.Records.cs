using Failover.Storage.Persistence;
using Failover.Storage.Records;
using Failover.Storage.Tables;
using Orleans.Runtime;

namespace Failover.Storage.Tests;

public abstract partial class StorageContractTests
{
    private const string Orders = "order";

    [Fact]
    public async Task Records_insert_read_and_refuse_a_duplicate_insert_with_the_stored_record()
    {
        var records = await ReadyRecordsAsync();
        var before = DateTime.UtcNow.AddMinutes(-5);

        var inserted = Assert.Single(await records.WriteAsync(Orders, [Insert("o-1", "dispatcher-1", "open", """{"n":1}""")], None));

        Assert.True(inserted.Applied);
        Assert.Equal(1, inserted.Version);
        var stored = await records.ReadAsync(Orders, "o-1", None);
        Assert.NotNull(stored);
        Assert.Equal(
            ("o-1", "dispatcher-1", "open", """{"n":1}""", 1L), (stored.Key, stored.Partition, stored.Status, stored.Payload, stored.Version));
        Assert.Equal(DateTimeKind.Utc, stored.Updated.Kind);
        Assert.InRange(stored.Updated, before, DateTime.UtcNow.AddMinutes(5));
        Assert.Equal(stored, inserted.Current);

        var duplicate = Assert.Single(await records.WriteAsync(Orders, [Insert("o-1", "dispatcher-2", "open", "other")], None));

        Assert.False(duplicate.Applied);
        Assert.Equal(1, duplicate.Version);
        Assert.Equal(stored, duplicate.Current);
        Assert.Equal(stored, await records.ReadAsync(Orders, "o-1", None));
        Assert.Null(await records.ReadAsync(Orders, "o-2", None));
    }

    [Fact]
    public async Task Records_update_only_at_the_expected_version()
    {
        var records = await ReadyRecordsAsync();
        await records.WriteAsync(Orders, [Insert("o-1", "dispatcher-1", "open", "v1")], None);

        var updated = Assert.Single(await records.WriteAsync(Orders, [new RecordWrite("o-1", "dispatcher-2", "sent", "v2", 1)], None));

        Assert.True(updated.Applied);
        Assert.Equal(2, updated.Version);
        var stored = await records.ReadAsync(Orders, "o-1", None);
        Assert.Equal(("dispatcher-2", "sent", "v2", 2L), (stored!.Partition, stored.Status, stored.Payload, stored.Version));

        var stale = Assert.Single(await records.WriteAsync(Orders, [new RecordWrite("o-1", "dispatcher-1", "open", "stale", 1)], None));
        var ahead = Assert.Single(await records.WriteAsync(Orders, [new RecordWrite("o-1", "dispatcher-1", "open", "ahead", 3)], None));
        var missing = Assert.Single(await records.WriteAsync(Orders, [new RecordWrite("o-9", "dispatcher-1", "open", "none", 1)], None));

        Assert.Equal(new RecordWriteResult(false, 2, stored), stale);
        Assert.Equal(new RecordWriteResult(false, 2, stored), ahead);
        Assert.Equal(new RecordWriteResult(false, 0, null), missing);
        Assert.Equal(stored, await records.ReadAsync(Orders, "o-1", None));
        Assert.Null(await records.ReadAsync(Orders, "o-9", None));
    }

    [Fact]
    public async Task Records_batch_applies_each_write_that_does_not_conflict()
    {
        var records = await ReadyRecordsAsync();
        await records.WriteAsync(Orders, [Insert("a", "p", "open", "a1"), Insert("b", "p", "open", "b1")], None);
        var storedB = await records.ReadAsync(Orders, "b", None);

        var results = await records.WriteAsync(
            Orders,
            [
                Insert("c", "p", "open", "c1"),
                new RecordWrite("a", "p", "sent", "a2", 1),
                new RecordWrite("b", "p", "sent", "b2", 5),
                Insert("a", "p", "open", "a-again"),
                Insert("d", "p", "open", "d1"),
                new RecordWrite("z", "p", "sent", "z1", 1),
                new RecordWrite("c", "q", "moved", "c2", 2),
            ],
            None);

        Assert.Equal([true, true, false, false, true, false, false], results.Select(r => r.Applied));
        Assert.Equal([1L, 2, 1, 2, 1, 0, 1], results.Select(r => r.Version));
        Assert.Equal(storedB, results[2].Current);
        Assert.Equal("a2", results[3].Current!.Payload);
        Assert.Null(results[5].Current);
        Assert.Equal("c1", results[6].Current!.Payload);
        var all = await records.QueryAsync(Orders, new RecordQuery(), None);
        Assert.Equal(["a:a2:2", "b:b1:1", "c:c1:1", "d:d1:1"], all.Select(r => $"{r.Key}:{r.Payload}:{r.Version}"));

        // An update may move a record to another partition.
        var moved = await records.WriteAsync(Orders, [new RecordWrite("d", "q", "moved", "d2", 1)], None);
        Assert.Equal(("q", "moved", 2L), (moved[0].Current!.Partition, moved[0].Current!.Status, moved[0].Version));
        Assert.Equal(["d"], (await records.QueryAsync(Orders, new RecordQuery { Partition = "q" }, None)).Select(r => r.Key));
    }

    [Fact]
    public async Task Records_batch_writing_a_key_twice_applies_in_order_and_reports_each_refusal_as_of_its_write()
    {
        var records = await ReadyRecordsAsync();

        var results = await records.WriteAsync(
            Orders,
            [
                Insert("x", "p", "open", "x1"),
                Insert("x", "p", "open", "x-duplicate"),
                new RecordWrite("x", "p", "sent", "x2", 1),
                new RecordWrite("x", "p", "sent", "x-stale", 1),
                new RecordWrite("x", "p", "done", "x3", 2),
            ],
            None);

        Assert.Equal([true, false, true, false, true], results.Select(r => r.Applied));
        Assert.Equal([1L, 1, 2, 2, 3], results.Select(r => r.Version));
        Assert.Equal("x1", results[1].Current!.Payload);
        Assert.Equal("x2", results[3].Current!.Payload);
        Assert.Equal("x3", (await records.ReadAsync(Orders, "x", None))!.Payload);
    }

    [Fact]
    public async Task Records_delete_only_at_the_expected_version()
    {
        var records = await ReadyRecordsAsync();
        await records.WriteAsync(Orders, [Insert("o-1", "p", "open", "v1")], None);
        await records.WriteAsync(Orders, [new RecordWrite("o-1", "p", "open", "v2", 1)], None);

        Assert.False(await records.DeleteAsync(Orders, "o-1", 1, None));
        Assert.False(await records.DeleteAsync(Orders, "o-1", 0, None));
        Assert.False(await records.DeleteAsync(Orders, "o-9", 1, None));
        Assert.Equal(2, (await records.ReadAsync(Orders, "o-1", None))!.Version);

        Assert.True(await records.DeleteAsync(Orders, "o-1", 2, None));
        Assert.Null(await records.ReadAsync(Orders, "o-1", None));
        Assert.False(await records.DeleteAsync(Orders, "o-1", 2, None));
        Assert.Equal(1, Assert.Single(await records.WriteAsync(Orders, [Insert("o-1", "p", "open", "again")], None)).Version);
    }

    [Fact]
    public async Task Records_query_filters_by_partition_statuses_and_key_prefix()
    {
        var records = await ReadyRecordsAsync();
        await records.WriteAsync(
            Orders,
            [
                Insert("a/1", "p1", "open", ""), Insert("a/2", "p2", "open", ""), Insert("a/3", "p1", "sent", ""),
                Insert("a", "p1", "open", ""), Insert("a0", "p1", "open", ""), Insert("b/1", "p1", "done", ""),
            ],
            None);

        async Task<IEnumerable<string>> Keys(RecordQuery query) => (await records.QueryAsync(Orders, query, None)).Select(r => r.Key);

        Assert.Equal(["a", "a/1", "a/3", "a0", "b/1"], await Keys(new RecordQuery { Partition = "p1" }));
        Assert.Equal(["a", "a/1", "a/2", "a0"], await Keys(new RecordQuery { Statuses = ["open"] }));
        Assert.Equal(["a/3", "b/1"], await Keys(new RecordQuery { Statuses = ["sent", "done"] }));
        Assert.Empty(await Keys(new RecordQuery { Statuses = [] }));
        Assert.Equal(["a/1", "a/2", "a/3"], await Keys(new RecordQuery { KeyPrefix = "a/" }));
        Assert.Equal(["a", "a/1", "a/2", "a/3", "a0"], await Keys(new RecordQuery { KeyPrefix = "a" }));
        Assert.Equal(["a/1", "a/3"], await Keys(new RecordQuery { Partition = "p1", Statuses = ["open", "sent"], KeyPrefix = "a/" }));
        Assert.Equal(6, (await Keys(new RecordQuery { KeyPrefix = "" })).Count());
        Assert.Empty(await Keys(new RecordQuery { Partition = "p9" }));
        Assert.Empty(await Keys(new RecordQuery { KeyPrefix = "c" }));
    }

    [Fact]
    public async Task Records_query_pages_after_a_key_up_to_the_limit()
    {
        var records = await ReadyRecordsAsync();
        var keys = Enumerable.Range(0, 25).Select(i => $"o-{i:00}").ToArray();
        await records.WriteAsync(Orders, keys.Select(k => Insert(k, "p", "open", k)).Reverse().ToArray(), None);

        var paged = new List<string>();
        string? after = null;
        for (var page = 0; page < 10; page++)
        {
            var batch = await records.QueryAsync(Orders, new RecordQuery { AfterKey = after, Limit = 10 }, None);
            Assert.InRange(batch.Count, 0, 10);
            if (batch.Count == 0)
            {
                break;
            }

            paged.AddRange(batch.Select(r => r.Key));
            after = batch[^1].Key;
        }

        Assert.Equal(keys, paged);
        Assert.Equal(["o-05", "o-06"], (await records.QueryAsync(Orders, new RecordQuery { AfterKey = "o-04", Limit = 2 }, None)).Select(r => r.Key));
        var prefixed = await records.QueryAsync(Orders, new RecordQuery { KeyPrefix = "o-1", AfterKey = "o-0", Limit = 2 }, None);
        Assert.Equal(["o-10", "o-11"], prefixed.Select(r => r.Key));
    }

    [Fact]
    public async Task Records_come_back_in_ordinal_key_order()
    {
        var records = await ReadyRecordsAsync();
        string[] keys = ["b", "B", "a", "_", "a-c", "ab", "Z", "é", "a c", "\U0001F600", "A", "10", "9"];
        await records.WriteAsync(Orders, keys.Select(k => Insert(k, "p", "open", k)).ToArray(), None);

        var all = await records.QueryAsync(Orders, new RecordQuery(), None);

        Assert.Equal(keys.Order(StringComparer.Ordinal), all.Select(r => r.Key));
    }

    [Fact]
    public async Task Records_key_prefix_ending_in_the_last_code_point_has_no_upper_bound_to_miss()
    {
        var records = await ReadyRecordsAsync();
        await records.WriteAsync(
            Orders,
            [Insert("x\U0010FFFF", "p", "open", ""), Insert("x\U0010FFFFa", "p", "open", ""), Insert("y", "p", "open", ""), Insert("x", "p", "open", "")],
            None);

        var found = await records.QueryAsync(Orders, new RecordQuery { KeyPrefix = "x\U0010FFFF" }, None);

        Assert.Equal(["x\U0010FFFF", "x\U0010FFFFa"], found.Select(r => r.Key));
        Assert.Equal("y", SqlRecordStore.PrefixEnd("x\U0010FFFF"));
        Assert.Equal("x\uE000", SqlRecordStore.PrefixEnd("x\uD7FF"));
        Assert.Null(SqlRecordStore.PrefixEnd("\U0010FFFF"));
    }

    [Fact]
    public async Task Records_are_kept_per_service_and_kind()
    {
        var records = await ReadyRecordsAsync();
        var otherService = Database.CreateRecordStore(ServiceId + "-other");
        await records.WriteAsync(Orders, [Insert("o-1", "p", "open", "mine")], None);

        Assert.Null(await otherService.ReadAsync(Orders, "o-1", None));
        Assert.Null(await records.ReadAsync("invoice", "o-1", None));
        Assert.True(Assert.Single(await otherService.WriteAsync(Orders, [Insert("o-1", "p", "open", "theirs")], None)).Applied);
        Assert.True(Assert.Single(await records.WriteAsync("invoice", [Insert("o-1", "p", "open", "invoice")], None)).Applied);
        Assert.False(await otherService.DeleteAsync(Orders, "o-2", 1, None));
        Assert.True(await otherService.DeleteAsync(Orders, "o-1", 1, None));

        Assert.Equal("mine", (await records.ReadAsync(Orders, "o-1", None))!.Payload);
        Assert.Equal(["mine"], (await records.QueryAsync(Orders, new RecordQuery(), None)).Select(r => r.Payload));
        Assert.Empty(await otherService.QueryAsync(Orders, new RecordQuery(), None));
    }

    [Fact]
    public async Task Records_values_wider_than_their_columns_are_refused_and_nothing_of_the_batch_written()
    {
        var records = await ReadyRecordsAsync();
        var longKey = new string('k', IRecordStore.MaxKeyLength + 1);
        var good = Insert("good", "p", "open", "");

        await Assert.ThrowsAsync<ArgumentException>(() => records.WriteAsync(longKey, [good], None));
        await Assert.ThrowsAsync<ArgumentException>(() => records.WriteAsync("", [good], None));
        await Assert.ThrowsAsync<ArgumentException>(() => records.WriteAsync(Orders, [good, Insert(longKey, "p", "open", "")], None));
        await Assert.ThrowsAsync<ArgumentException>(() => records.WriteAsync(Orders, [good, Insert("", "p", "open", "")], None));
        await Assert.ThrowsAsync<ArgumentException>(() => records.WriteAsync(Orders, [good, Insert("k", longKey, "open", "")], None));
        await Assert.ThrowsAsync<ArgumentException>(
            () => records.WriteAsync(Orders, [good, Insert("k", "p", new string('s', IRecordStore.MaxStatusLength + 1), "")], None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => records.WriteAsync(Orders, [good, new RecordWrite("k", "p", "open", "", -1)], None));
        await Assert.ThrowsAsync<ArgumentException>(() => records.ReadAsync(Orders, longKey, None));
        await Assert.ThrowsAsync<ArgumentException>(() => records.DeleteAsync(Orders, longKey, 1, None));
        await Assert.ThrowsAsync<ArgumentException>(() => records.QueryAsync(Orders, new RecordQuery { Partition = longKey }, None));
        await Assert.ThrowsAsync<ArgumentException>(() => records.QueryAsync(Orders, new RecordQuery { KeyPrefix = longKey }, None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => records.QueryAsync(Orders, new RecordQuery { Limit = 0 }, None));
        Assert.Throws<ArgumentException>(() => Database.CreateRecordStore(new string('s', 151)));

        Assert.Empty(await records.QueryAsync(Orders, new RecordQuery(), None));

        var widest = new RecordWrite(
            new string('k', IRecordStore.MaxKeyLength), new string('p', IRecordStore.MaxKeyLength), new string('s', IRecordStore.MaxStatusLength), "", 0);
        Assert.True(Assert.Single(await records.WriteAsync(new string('o', IRecordStore.MaxKeyLength), [widest], None)).Applied);
        Assert.Empty(await records.WriteAsync(Orders, [], None));
    }

    [Fact]
    public async Task Records_batch_of_a_thousand_inserts_then_a_thousand_updates()
    {
        var records = await ReadyRecordsAsync();
        var keys = Enumerable.Range(0, 1000).Select(i => $"order-{i:0000}").ToArray();

        var inserted = await records.WriteAsync(Orders, keys.Select(k => Insert(k, "dispatcher-1", "open", $$"""{"id":"{{k}}"}""")).ToArray(), None);
        var updated = await records.WriteAsync(
            Orders, keys.Select((k, i) => new RecordWrite(k, "dispatcher-1", i % 2 == 0 ? "sent" : "open", "{}", i == 500 ? 7 : 1)).ToArray(), None);

        Assert.All(inserted, r => Assert.Equal((true, 1L), (r.Applied, r.Version)));
        Assert.Equal(999, updated.Count(r => r.Applied && r.Version == 2));
        Assert.Equal(new RecordWriteResult(false, 1, await records.ReadAsync(Orders, "order-0500", None)), updated[500]);
        var sent = await records.QueryAsync(Orders, new RecordQuery { Partition = "dispatcher-1", Statuses = ["sent"], Limit = 2000 }, None);
        Assert.Equal(499, sent.Count);
        Assert.Equal(1000, (await records.QueryAsync(Orders, new RecordQuery { Limit = 2000 }, None)).Count);
    }

    [Fact]
    public async Task Fenced_record_writes_of_an_epoch_the_directory_no_longer_shows_write_nothing()
    {
        var (records, oldFence, owner) = await FencedRecordsAsync();
        Assert.All(await records.WriteAsync(Orders, [Insert("a", "p", "open", "a1"), Insert("b", "p", "open", "b1")], oldFence, None), r => Assert.True(r.Applied));
        var membership = await OrleansMembershipAsync();
        await InsertWithRetryAsync(membership, Entry(Silo(2)));
        // Orleans names the old activation to replace (as after a duplicate activation): the claim moves to silo 2.
        var taken = await Database.CreateGrainDirectory(ClusterId).TryClaimAsync(Activation(oldFence.GrainId, Silo(2)), owner, None);
        Assert.Equal((Silo(2), oldFence.Epoch + 1), (taken.Owner, taken.Epoch));
        var before = await records.QueryAsync(Orders, new RecordQuery(), None);

        // Versions that would apply, an insert of a new key, a delete: none of them may land under the old epoch.
        var fenced = await Assert.ThrowsAsync<ActivationFencedException>(() => records.WriteAsync(
            Orders, [new RecordWrite("a", "p", "sent", "zombie", 1), Insert("c", "p", "open", "zombie")], oldFence, None));
        Assert.Contains($"carried epoch {oldFence.Epoch}", fenced.Message, StringComparison.Ordinal);
        Assert.Contains($"shows epoch {taken.Epoch}", fenced.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ActivationFencedException>(() => records.WriteAsync(Orders, [], oldFence, None));
        await Assert.ThrowsAsync<ActivationFencedException>(() => records.DeleteAsync(Orders, "b", 1, oldFence, None));
        Assert.Equal(before, await records.QueryAsync(Orders, new RecordQuery(), None));

        var newFence = new ActivationFence(oldFence.GrainId, taken.Epoch);
        Assert.True(Assert.Single(await records.WriteAsync(Orders, [new RecordWrite("a", "p", "sent", "a2", 1)], newFence, None)).Applied);
        Assert.True(await records.DeleteAsync(Orders, "b", 1, newFence, None));
        Assert.False(await records.DeleteAsync(Orders, "b", 1, newFence, None));
    }

    [Fact]
    public async Task Fenced_record_writes_by_a_silo_declared_Dead_released_or_never_claimed_write_nothing()
    {
        var (records, fence, _) = await FencedRecordsAsync();
        await records.WriteAsync(Orders, [Insert("a", "p", "open", "a1")], fence, None);

        await SetStatusWithRetryAsync(await OrleansMembershipAsync(), Silo(1), SiloStatus.Dead);

        var dead = await Assert.ThrowsAsync<ActivationFencedException>(() => records.WriteAsync(Orders, [new RecordWrite("a", "p", "sent", "zombie", 1)], fence, None));
        Assert.Contains("declared Dead", dead.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ActivationFencedException>(() => records.DeleteAsync(Orders, "a", 1, fence, None));
        Assert.Equal("a1", (await records.ReadAsync(Orders, "a", None))!.Payload);

        var never = new ActivationFence(Grain("never-claimed"), 1);
        await Assert.ThrowsAsync<ActivationFencedException>(() => records.WriteAsync(Orders, [Insert("n", "p", "open", "n1")], never, None));
        Assert.Null(await records.ReadAsync(Orders, "n", None));

        await Assert.ThrowsAsync<InvalidOperationException>(() => Database.CreateRecordStore(ServiceId).WriteAsync(Orders, [Insert("u", "p", "open", "")], fence, None));
    }

    /// <summary>Silo 1 is Active and an activation of it owns a dispatcher grain; returns a store that can fence, the owner's fence and address.</summary>
    private async Task<(IRecordStore Records, ActivationFence Fence, GrainAddress Owner)> FencedRecordsAsync()
    {
        var membership = await ReadyMembershipAsync();
        await InsertWithRetryAsync(membership, Entry(Silo(1)));
        var grain = Grain("dispatcher");
        var owner = Activation(grain, Silo(1));
        var claimed = await Database.CreateGrainDirectory(ClusterId).TryClaimAsync(owner, null, None);
        Assert.Equal(Silo(1), claimed.Owner);
        return (Database.CreateRecordStore(ServiceId, ClusterId), new ActivationFence(grain, claimed.Epoch), owner);
    }

    private static RecordWrite Insert(string key, string partition, string status, string payload) => new(key, partition, status, payload, 0);

    private async Task<IRecordStore> ReadyRecordsAsync()
    {
        await Database.ApplySchemaAsync(None);
        return Database.CreateRecordStore(ServiceId);
    }
}
