using Failover.Runtime.Grains;
using Failover.Runtime.Tests.Grains;
using Failover.Runtime.Tests.Infrastructure;

namespace Failover.Runtime.Tests.Runtime;

public sealed class ExceptionTests : SingleSiloTestBase
{
    [Fact]
    public async Task Exceptions_reach_the_caller_with_their_type_and_message()
    {
        var grain = Silo.GrainFactory.GetGrain<IThrowingGrain>("x");

        var invalid = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.ThrowInvalidOperation("first"));
        var custom = await Assert.ThrowsAsync<QuotaExceededException>(() => grain.ThrowCustom("second"));
        var argument = await Assert.ThrowsAsync<ArgumentException>(async () => await grain.ThrowSynchronously("third"));

        Assert.Equal("first", invalid.Message);
        Assert.Equal("second", custom.Message);
        Assert.Equal("third", argument.Message);
    }

    [Fact]
    public async Task A_failed_call_leaves_the_activation_usable()
    {
        var grain = Silo.GrainFactory.GetGrain<IThrowingGrain>("y");
        await Assert.ThrowsAsync<InvalidOperationException>(() => grain.ThrowInvalidOperation("boom"));

        Assert.Equal("still here", await grain.Echo("still here"));
    }

    [Fact]
    public async Task Failing_OnActivateAsync_fails_the_call_with_the_reason_and_is_retried_on_the_next_call()
    {
        var grain = Silo.GrainFactory.GetGrain<IFailingActivationGrain>("z");

        var first = await Assert.ThrowsAsync<GrainActivationException>(grain.Ping);
        var second = await Assert.ThrowsAsync<GrainActivationException>(grain.Ping);

        Assert.IsType<InvalidOperationException>(first.InnerException);
        Assert.Contains("cannot activate z", first.Message, StringComparison.Ordinal);
        Assert.NotNull(second.InnerException);
    }

    [Fact]
    public void Unregistered_interface_is_refused_when_the_reference_is_made()
    {
        var error = Assert.Throws<ArgumentException>(() => Silo.GrainFactory.GetGrain<INotImplementedGrain>("k"));
        Assert.Contains("No grain class implementing INotImplementedGrain", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_key_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Silo.GrainFactory.GetGrain<IThrowingGrain>(""));
    }
}

public interface INotImplementedGrain : IGrainWithStringKey
{
    Task Nothing();
}
