using Failover.Storage.Directory;
using Orleans.GrainDirectory;
using Orleans.Runtime;

namespace Failover.Hosting.Directory;

/// <summary>
/// The grain directory of the witness grains (<c>[GrainDirectory(FencedGrainDirectory.Name)]</c>): a row in SQL per
/// grain, claimed by one statement that succeeds only when the row is free, its owner's silo is Dead, or the owner is
/// the one Orleans asks to replace. Each claim bumps the row's epoch, and every durable write of the activation checks
/// it (<see cref="FencedGrainStorage"/>), so an activation left behind on a paused or cut-off silo cannot write.
/// </summary>
internal sealed class FencedGrainDirectory(IGrainDirectoryTable table, FencingTokens tokens) : IGrainDirectory
{
    public Task<GrainAddress?> Register(GrainAddress address) => Register(address, null, CancellationToken.None);

    public Task<GrainAddress?> Register(GrainAddress address, CancellationToken cancellationToken) => Register(address, null, cancellationToken);

    public Task<GrainAddress?> Register(GrainAddress address, GrainAddress? previousAddress) => Register(address, previousAddress, CancellationToken.None);

    public async Task<GrainAddress?> Register(GrainAddress address, GrainAddress? previousAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        var entry = await table.TryClaimAsync(address, previousAddress, cancellationToken);
        if (entry.Owner is { } owner && owner.Equals(address.SiloAddress) && entry.Activation == address.ActivationId)
        {
            tokens.Granted(address, entry.Epoch);
            return address;
        }

        return AddressOf(entry);
    }

    public Task Unregister(GrainAddress address) => Unregister(address, CancellationToken.None);

    public async Task Unregister(GrainAddress address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        tokens.Released(address);
        if (address.SiloAddress is not null)
        {
            await table.ReleaseAsync(address, cancellationToken);
        }
    }

    public Task<GrainAddress?> Lookup(GrainId grainId) => Lookup(grainId, CancellationToken.None);

    public async Task<GrainAddress?> Lookup(GrainId grainId, CancellationToken cancellationToken) =>
        await table.LookupAsync(grainId, cancellationToken) is { } entry ? AddressOf(entry) : null;

    public Task UnregisterSilos(List<SiloAddress> siloAddresses) => UnregisterSilos(siloAddresses, CancellationToken.None);

    public async Task UnregisterSilos(List<SiloAddress> siloAddresses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(siloAddresses);
        foreach (var silo in siloAddresses)
        {
            await table.ReleaseAllAsync(silo, cancellationToken);
        }
    }

    private static GrainAddress? AddressOf(DirectoryEntry entry) =>
        entry.Owner is null || entry.Activation.IsDefault
            ? null
            : new GrainAddress { GrainId = entry.GrainId, SiloAddress = entry.Owner, ActivationId = entry.Activation };
}
