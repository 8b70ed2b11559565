using System.Globalization;
using Failover.Hosting.Directory;
using Failover.Storage.Persistence;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace Failover.Hosting.Storage;

/// <summary>
/// Grain state of the witness grains (<c>[PersistentState(name, FencedGrainStorage.Name)]</c>) in FailoverGrainState, as
/// JSON text an operator can read. Every write and clear checks in the same statement the stored version (the ETag)
/// and the epoch this activation's claim in the fenced directory was granted; either failing raises
/// <see cref="InconsistentStateException"/> (<see cref="ActivationFencedException"/> for a lost claim).
/// </summary>
internal sealed class FencedGrainStorage(IGrainStateStore store, FencingTokens tokens, JsonGrainStorageSerializer serializer) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        if (await store.ReadAsync(grainId, stateName, cancellationToken) is { } stored)
        {
            grainState.State = serializer.Deserialize<T>(BinaryData.FromString(stored.Payload));
            grainState.ETag = stored.Version.ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        }
        else
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var payload = serializer.Serialize(grainState.State).ToString();
        var version = await store.WriteAsync(grainId, stateName, payload, ExpectedVersion(grainState), Fence(grainId), cancellationToken);
        grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var expected = ExpectedVersion(grainState);
        if (expected != 0)
        {
            await store.ClearAsync(grainId, stateName, expected, Fence(grainId), cancellationToken);
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private ActivationFence Fence(GrainId grainId) =>
        tokens.FenceOf(grainId)
        ?? throw new ActivationFencedException($"grain {grainId} holds no claim in the fenced grain directory on this silo: its state cannot be written here");

    private static long ExpectedVersion<T>(IGrainState<T> grainState) =>
        grainState.ETag is { } etag ? long.Parse(etag, NumberStyles.None, CultureInfo.InvariantCulture) : 0;
}
