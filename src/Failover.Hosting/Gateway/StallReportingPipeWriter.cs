using System.IO.Pipelines;

namespace Failover.Hosting.Gateway;

/// <summary>A connection's output that tells <see cref="OutputStall"/> when a flush waits for the client to read.</summary>
internal sealed class StallReportingPipeWriter(PipeWriter inner, OutputStall stall) : PipeWriter
{
    public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => inner.UnflushedBytes;

    public override void Advance(int bytes) => inner.Advance(bytes);

    public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        var flush = inner.FlushAsync(cancellationToken);
        return flush.IsCompleted ? flush : AwaitStalledFlushAsync(flush);
    }

    private async ValueTask<FlushResult> AwaitStalledFlushAsync(ValueTask<FlushResult> flush)
    {
        stall.Begin();
        try
        {
            return await flush;
        }
        finally
        {
            stall.End();
        }
    }
}
