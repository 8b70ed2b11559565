using Failover.Agents.Topology;

namespace Failover.Agents.Tests.Topology;

public sealed class DirectorInstancesTests
{
    [Theory]
    [InlineData(DirectorInstance.Primary, "primary", DirectorInstance.Secondary)]
    [InlineData(DirectorInstance.Secondary, "secondary", DirectorInstance.Primary)]
    public void NamesParsesAndPairs(DirectorInstance instance, string name, DirectorInstance other)
    {
        Assert.Equal(name, instance.ToName());
        Assert.Equal(instance, DirectorInstances.Parse(name));
        Assert.Equal(instance, DirectorInstances.Parse(name.ToUpperInvariant()));
        Assert.Equal(other, instance.Other());
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("Primary ")]
    [InlineData("tertiary")]
    public void RejectsOtherNames(string name)
    {
        Assert.False(DirectorInstances.TryParse(name, out _));
        var error = Assert.Throws<FormatException>(() => DirectorInstances.Parse(name));
        Assert.Equal($"'{name}' is not a director instance (use primary or secondary)", error.Message);
    }

    [Fact]
    public void RejectsNull() => Assert.False(DirectorInstances.TryParse(null, out _));
}
