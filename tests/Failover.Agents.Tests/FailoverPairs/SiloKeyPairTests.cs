using System.Text;
using Failover.Agents.FailoverPairs;

namespace Failover.Agents.Tests.FailoverPairs;

public sealed class SiloKeyPairTests : IDisposable
{
    private readonly string _directory = Path.Combine(Directory.CreateTempSubdirectory("failover-keys-").FullName, "data");

    [Fact]
    public void The_key_pair_is_made_once_and_kept()
    {
        string first;
        using (var keys = SiloKeyPair.LoadOrCreate(_directory))
        {
            first = keys.PublicKey;
        }

        using var again = SiloKeyPair.LoadOrCreate(_directory);
        Assert.Equal(first, again.PublicKey);
        Assert.True(SiloKeys.IsPublicKey(first));
        Assert.DoesNotContain('\n', first);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(again.Path));
        }
    }

    [Fact]
    public void A_signature_verifies_only_with_its_key_and_data()
    {
        using var keys = SiloKeyPair.LoadOrCreate(_directory);
        using var other = SiloKeyPair.LoadOrCreate(_directory + "-other");
        var data = Encoding.UTF8.GetBytes("heartbeat");

        var signature = keys.Sign(data);

        Assert.True(SiloKeys.Verify(keys.PublicKey, data, signature));
        Assert.False(SiloKeys.Verify(other.PublicKey, data, signature));
        Assert.False(SiloKeys.Verify(keys.PublicKey, Encoding.UTF8.GetBytes("heartbeaT"), signature));
        Assert.False(SiloKeys.Verify(keys.PublicKey, data, "garbage!"));
    }

    public void Dispose()
    {
        Directory.Delete(Path.GetDirectoryName(_directory)!, recursive: true);
    }
}
