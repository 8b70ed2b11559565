using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Failover.Testing;

/// <summary>
/// Polls a condition until it holds or a generous deadline passes: the only way tests wait. The deadline is on the
/// monotonic clock (a wall-clock step cannot cut or stretch it). After the deadline the condition gets one last try,
/// so a slow poll never fails a condition that holds by then; a timeout names the condition's code and what was seen last.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(20);

    /// <param name="details">Called only on timeout, for what the failure message should add (e.g. process logs).</param>
    /// <exception cref="TimeoutException">The condition did not hold before the deadline, nor at the last try after it.</exception>
    public static async Task True(
        Func<Task<bool>> condition,
        string because,
        TimeSpan? timeout = null,
        Func<string>? details = null,
        [CallerArgumentExpression(nameof(condition))] string expression = "")
    {
        await Value(condition, held => held, because, timeout, details, expression);
    }

    public static Task True(
        Func<bool> condition,
        string because,
        TimeSpan? timeout = null,
        [CallerArgumentExpression(nameof(condition))] string expression = "") =>
        True(() => Task.FromResult(condition()), because, timeout, details: null, expression);

    /// <summary>
    /// Reads a value until <paramref name="until"/> accepts it, and returns it; the timeout reports the last value read.
    /// A read that throws ends the wait with its exception.
    /// </summary>
    public static async Task<T> Value<T>(
        Func<Task<T>> read,
        Func<T, bool> until,
        string because,
        TimeSpan? timeout = null,
        Func<string>? details = null,
        [CallerArgumentExpression(nameof(read))] string expression = "")
    {
        var started = Stopwatch.GetTimestamp();
        var limit = timeout ?? DefaultTimeout;
        var lastTry = false;
        while (true)
        {
            var value = await read();
            if (until(value))
            {
                return value;
            }

            if (lastTry)
            {
                throw new TimeoutException(
                    $"Timed out after {limit.TotalSeconds:0.#} s waiting until {because} ({expression}; last value: {Describe(value)}).{(details is null ? "" : "\n" + details())}");
            }

            lastTry = Stopwatch.GetElapsedTime(started) > limit;
            if (!lastTry)
            {
                await Task.Delay(s_pollInterval);
            }
        }
    }

    private static string Describe<T>(T value) => value switch
    {
        null => "null",
        string text => $"\"{text}\"",
        System.Collections.IEnumerable items and not string => $"[{string.Join(", ", items.Cast<object?>().Select(i => i?.ToString() ?? "null"))}]",
        _ => value.ToString() ?? "",
    };
}
