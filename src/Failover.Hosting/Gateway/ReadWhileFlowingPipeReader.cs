using System.IO.Pipelines;

namespace Failover.Hosting.Gateway;

/// <summary>
/// A connection's input that hands Orleans no more of the client's requests while the connection's output is stalled:
/// every request becomes a response queued for a client that is not reading, so the client's further requests wait in
/// its own socket instead.
/// </summary>
internal sealed class ReadWhileFlowingPipeReader(PipeReader inner, OutputStall stall) : PipeReader
{
    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        var flowing = stall.Flowing;
        return flowing.IsCompleted ? inner.ReadAsync(cancellationToken) : ReadOnceFlowingAsync(flowing, cancellationToken);
    }

    public override bool TryRead(out ReadResult result)
    {
        if (!stall.Flowing.IsCompleted)
        {
            result = default;
            return false;
        }

        return inner.TryRead(out result);
    }

    public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

    // Closing a connection cancels its pending flush as well as its pending read, so a read waiting here goes on to
    // the transport, which answers it as cancelled.
    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    private async ValueTask<ReadResult> ReadOnceFlowingAsync(Task flowing, CancellationToken cancellationToken)
    {
        await flowing.WaitAsync(cancellationToken);
        return await inner.ReadAsync(cancellationToken);
    }
}
