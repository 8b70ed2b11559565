using System.Text.Json;
using Failover.TestHost;
using Orleans.Runtime;

namespace Failover.Host.Tests.Faults;

/// <summary>
/// The test grains' durable state, read straight from the state table. Their grain ids are Orleans' (grain type = the
/// class name in lower case without "Grain").
/// </summary>
public static class Ledgers
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public static GrainId Locator(string key) => GrainId.Create(GrainType(nameof(LocatorGrain)), key);

    public static GrainId Ledger(string key) => GrainId.Create(GrainType(nameof(LedgerGrain)), key);

    public static GrainId Pulse(string key) => GrainId.Create(GrainType(nameof(PulseGrain)), key);

    private static string GrainType(string grainClass) => grainClass[..^"Grain".Length].ToLowerInvariant();

    /// <summary>The entries of a test grain's <see cref="LedgerState"/>; empty before its first write.</summary>
    public static async Task<IReadOnlyList<string>> ReadAsync(FaultDatabase database, GrainId grainId, string stateName) =>
        await database.ReadStateAsync(grainId, stateName) is { } stored
            ? JsonSerializer.Deserialize<LedgerState>(stored.Payload, s_json)?.Entries ?? []
            : [];

    /// <summary>The ledger grain's entries are <c>node:generation:n</c> with n = 1, 2, 3, ...: a gap or a repeat is a lost or overwritten write.</summary>
    public static void AssertNumberedInOrder(IReadOnlyList<string> ledger) =>
        Assert.All(ledger.Select((entry, index) => (entry, index)), e => Assert.True(
            e.entry.EndsWith($":{e.index + 1}", StringComparison.Ordinal), $"entry {e.index + 1} is '{e.entry}': a write was lost or overwritten"));
}
