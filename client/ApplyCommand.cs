using System.Text;
using System.Text.Json;
using Failover.Agents.Topology;

namespace Failover.Client;

/// <summary><c>client apply -f FILE</c>: validates the whole topology here, then applies it; an identical file changes nothing.</summary>
internal static class ApplyCommand
{
    public static async Task<int> RunAsync(ClientCommandLine commandLine, string file, bool force, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        string json;
        try
        {
            json = await TopologyFile.ReadAsync(file, cancellationToken);
        }
        catch (TopologyFileException refused)
        {
            await error.WriteLineAsync($"error: {refused.Message}; nothing was applied");
            return 1;
        }

        try
        {
            TopologyParser.Parse(json);
        }
        catch (TopologyException invalid)
        {
            foreach (var line in invalid.Errors)
            {
                await error.WriteLineAsync($"error: {file}: {line}");
            }

            await error.WriteLineAsync($"error: {file}: {invalid.Errors.Count} problem(s); nothing was applied");
            return 1;
        }

        await using var client = await ClusterConnection.ConnectAsync(commandLine, cancellationToken);
        var result = await client.GetGrain<ITopologyGrain>(ITopologyGrain.Key).Apply(json, force).WaitAsync(cancellationToken);
        if (commandLine.Json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(result, ClusterConnection.Json));
        }

        if (result.Refusal is { } refusal)
        {
            await error.WriteLineAsync($"error: refused: {refusal}; nothing was applied");
            return 1;
        }

        if (commandLine.Json)
        {
            return 0;
        }

        if (!result.Changed)
        {
            await output.WriteLineAsync($"No change: the cluster already runs this topology (version {result.Version}).");
        }
        else
        {
            await output.WriteLineAsync($"Topology version {result.Version} applied:");
            foreach (var change in result.Changes)
            {
                await output.WriteLineAsync($"  {change}");
            }
        }

        return 0;
    }
}

/// <summary>
/// Reads a topology file without trusting it: at most <see cref="TopologyLimits.MaxFileBytes"/> bytes (plus one, to
/// know it is longer) are read, so a device such as /dev/zero or a huge sparse file is refused without filling memory.
/// </summary>
internal static class TopologyFile
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <exception cref="UsageException">The file does not exist, or is a directory.</exception>
    /// <exception cref="TopologyFileException">The file cannot be read, is too long, empty or not UTF-8 text.</exception>
    public static async Task<string> ReadAsync(string file, CancellationToken cancellationToken)
    {
        if (Directory.Exists(file))
        {
            throw new UsageException($"topology file '{file}' is a directory");
        }

        if (!File.Exists(file))
        {
            throw new UsageException($"topology file '{file}' does not exist");
        }

        // Opening a named pipe waits for a writer, and its reads for data, inside the kernel where no cancellation reaches:
        // the bounded read runs on a worker of its own, so Ctrl+C still ends the command (the worker dies with the process).
        var (buffer, length) = await Task.Run(() => ReadBounded(file), CancellationToken.None).WaitAsync(cancellationToken);
        if (length > TopologyLimits.MaxFileBytes)
        {
            throw new TopologyFileException(
                $"topology file '{file}' is larger than the limit of {TopologyLimits.MaxFileBytes / (1024 * 1024)} MiB ({TopologyLimits.MaxFileBytes} bytes)");
        }

        if (length == 0)
        {
            throw new TopologyFileException($"topology file '{file}' is empty");
        }

        var start = length >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF ? 3 : 0;
        try
        {
            return StrictUtf8.GetString(buffer, start, length - start);
        }
        catch (DecoderFallbackException)
        {
            throw new TopologyFileException($"topology file '{file}' is not UTF-8 text");
        }
    }

    /// <summary>Reads at most <see cref="TopologyLimits.MaxFileBytes"/> + 1 bytes of <paramref name="file"/>, blocking.</summary>
    private static (byte[] Buffer, int Length) ReadBounded(string file)
    {
        var buffer = new byte[TopologyLimits.MaxFileBytes + 1];
        var length = 0;
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
            int read;
            while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0)
            {
                length += read;
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new TopologyFileException($"cannot read topology file '{file}': {Reason(exception)}");
        }

        return (buffer, length);
    }

    private static string Reason(Exception exception) => exception switch
    {
        UnauthorizedAccessException => "permission denied",
        FileNotFoundException or DirectoryNotFoundException => "it does not exist",
        _ => StripPath(exception.Message),
    };

    /// <summary>.NET writes an I/O error as "Input/output error : 'PATH'"; the path is already in the line.</summary>
    private static string StripPath(string message)
    {
        var separator = message.LastIndexOf(" : '", StringComparison.Ordinal);
        var reason = separator > 0 ? message[..separator] : message;
        return reason.Length > 0 ? char.ToLowerInvariant(reason[0]) + reason[1..] : "read failed";
    }
}

/// <summary>A topology file that cannot be used as it is; the message is the one line the user sees.</summary>
internal sealed class TopologyFileException(string message) : Exception(message);
