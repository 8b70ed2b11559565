using Failover.Runtime.Activation;
using Failover.Runtime.Grains;

namespace Failover.Runtime.Invocation;

/// <summary>A call waiting in an activation's mailbox. Its result reaches the caller through a task.</summary>
internal abstract class GrainRequest(GrainMethod method, object?[] arguments, long deadlineTimestamp) : WorkItem
{
    public GrainMethod Method { get; } = method;

    /// <summary>The grain the call is for; set when it is dispatched, kept for forwarding.</summary>
    public GrainId Target { get; set; }

    /// <summary>How often the catalog has tried to hand it to an activation.</summary>
    public int DispatchAttempts { get; set; }

    protected object?[] Arguments { get; } = arguments;

    /// <summary>TimeProvider timestamp after which the caller has given up; the turn is then not run at all.</summary>
    public long DeadlineTimestamp { get; } = deadlineTimestamp;

    public override bool MayInterleave => true;

    public override async Task RunAsync(GrainActivation activation)
    {
        if (activation.Runtime.TimeProvider.GetTimestamp() > DeadlineTimestamp)
        {
            Reject(new GrainCallTimeoutException(
                $"Call to {activation.GrainId}: {Method.DisplayName} expired in the mailbox before it could run."));
            return;
        }

        try
        {
            await InvokeAsync(activation.Instance);
        }
        catch (Exception exception)
        {
            Reject(exception);
        }
    }

    protected abstract Task InvokeAsync(object grain);
}

internal sealed class VoidGrainRequest(VoidGrainMethod method, object?[] arguments, long deadlineTimestamp)
    : GrainRequest(method, arguments, deadlineTimestamp)
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Completion => _completion.Task;

    public override void Reject(Exception reason) => _completion.TrySetException(reason);

    protected override async Task InvokeAsync(object grain)
    {
        await method.Invoke(grain, Arguments);
        _completion.TrySetResult();
    }
}

internal sealed class TypedGrainRequest<T>(TypedGrainMethod<T> method, object?[] arguments, long deadlineTimestamp)
    : GrainRequest(method, arguments, deadlineTimestamp)
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<T> Completion => _completion.Task;

    public override void Reject(Exception reason) => _completion.TrySetException(reason);

    protected override async Task InvokeAsync(object grain) =>
        _completion.TrySetResult(await method.Invoke(grain, Arguments));
}
