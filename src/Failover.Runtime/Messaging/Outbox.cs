using System.IO.Pipelines;
using System.Threading.Channels;

namespace Failover.Runtime.Messaging;

/// <summary>
/// The outgoing messages of one connection. Any number of senders enqueue; a single writer loop drains the queue in
/// batches into the pipe and flushes once per batch, so concurrent calls share system calls instead of each flushing.
/// </summary>
internal sealed class Outbox
{
    private const int MaxBatchBytes = 64 * 1024;

    private readonly Channel<Message> _queue = Channel.CreateUnbounded<Message>(new UnboundedChannelOptions
    {
        SingleReader = true,
        SingleWriter = false,
        AllowSynchronousContinuations = false,
    });

    /// <summary>False once the connection is closing.</summary>
    public bool TryEnqueue(Message message) => _queue.Writer.TryWrite(message);

    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>
    /// Runs the writer loop until the queue is completed, the pipe is closed or <paramref name="cancellationToken"/>
    /// fires. While <paramref name="isBlackHoled"/> answers true, messages are dropped as a partitioned network would.
    /// </summary>
    public async Task RunAsync(
        PipeWriter output,
        int maxFrameBytes,
        Func<bool> isBlackHoled,
        Action<Message, int> onTooLarge,
        CancellationToken cancellationToken)
    {
        using var scratch = new FrameScratch();
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            var batchBytes = 0;
            while (batchBytes < MaxBatchBytes && reader.TryRead(out var message))
            {
                if (isBlackHoled())
                {
                    continue;
                }

                if (FrameCodec.TryWriteFrame(output, message, MessagingJsonContext.Default.Message, scratch, maxFrameBytes, out var payloadBytes))
                {
                    batchBytes += FrameCodec.HeaderBytes + payloadBytes;
                }
                else
                {
                    onTooLarge(message, payloadBytes);
                }
            }

            if (batchBytes == 0)
            {
                continue;
            }

            var result = await output.FlushAsync(cancellationToken);
            if (result.IsCompleted || result.IsCanceled)
            {
                return;
            }
        }
    }
}
