using System.Globalization;
using Failover.Agents.FileWatches;
using Failover.Agents.Topology;

namespace Failover.Agents.Tests.FileWatches;

public sealed class FileWatchReconcilerTests
{
    private static readonly FileWatchSpec Spec = new()
    {
        Id = "inbox",
        Agent = "agent-1",
        Directory = "/data/in",
        Pattern = "*.csv",
        Job = "import",
        Delay = TimeSpan.FromSeconds(2),
    };

    private static readonly TimeSpan Start = TimeSpan.FromHours(1);

    /// <summary>
    /// Passes, in order, each as <c>seconds | files | durable orders | expected submits | expected forgets | next check</c>.
    /// Files are <c>name:size</c> or <c>name:size@minute</c> (last write); orders <c>name:running</c> or
    /// <c>name:ended</c>; the next check is in seconds or <c>-</c> for none. Every scenario starts without state, as
    /// after a (re)start.
    /// </summary>
    public static TheoryData<string, string[]> Scenarios => new()
    {
        { "a new file is not ordered before it settled", ["0 | a.csv:10 | | | | 2", "1.9 | a.csv:10 | | | | 2"] },
        { "a settled file is ordered once", ["0 | a.csv:10 | | | | 2", "2 | a.csv:10 | | a.csv | | -", "3 | a.csv:10 | a.csv:running | | | -", "9 | a.csv:10 | a.csv:ended | | | -"] },
        {
            "a file that keeps changing keeps resetting its delay",
            ["0 | a.csv:10 | | | | 2", "1 | a.csv:20 | | | | 3", "2.5 | a.csv:20@1 | | | | 4.5", "4 | a.csv:20@1 | | | | 4.5", "4.5 | a.csv:20@1 | | a.csv | | -"]
        },
        { "a file that is gone with its order ended is forgotten", ["0 | | a.csv:ended | | a.csv | -"] },
        {
            "after the forget a new file of the same name gets a new order",
            ["0 | | a.csv:ended | | a.csv | -", "1 | a.csv:5 | | | | 3", "3 | a.csv:5 | | a.csv | | -"]
        },
        {
            "a gone file's running order is kept, then forgotten once it ended",
            ["0 | | a.csv:running | | | -", "5 | | a.csv:running | | | -", "6 | | a.csv:ended | | a.csv | -"]
        },
        {
            "a file replaced while its order runs gets a new order after the old one is forgotten",
            [
                "0 | a.csv:1 | a.csv:running | | | -",
                "1 | | a.csv:running | | | -",
                "2 | a.csv:7 | a.csv:running | | | -",
                "3 | a.csv:7 | a.csv:ended | | a.csv | 5",
                "5 | a.csv:7 | | a.csv | | -",
            ]
        },
        { "files not matching the pattern are ignored", ["0 | a.txt:1 a.csv.tmp:1 A.CSV:1 | | | | -", "60 | a.txt:1 a.csv.tmp:1 A.CSV:1 | | | | -"] },
        { "a durable order whose file still exists needs nothing", ["0 | a.csv:1 b.csv:1 | a.csv:ended b.csv:running | | | -", "60 | a.csv:1 b.csv:1 | a.csv:ended b.csv:ended | | | -"] },
        {
            "after a restart files with orders get none, files without settle and get one",
            ["0 | a.csv:1 b.csv:1 c.csv:1 | a.csv:running b.csv:ended | | | 2", "2 | a.csv:1 b.csv:1 c.csv:1 | a.csv:running b.csv:ended | c.csv | | -", "3 | a.csv:1 b.csv:1 c.csv:1 | a.csv:ended b.csv:ended c.csv:running | | | -"]
        },
        { "an order of a file no longer matching the pattern is kept while the file is there", ["0 | a.txt:1 | a.txt:ended | | | -", "1 | | a.txt:ended | | a.txt | -"] },
        { "a submission the sink did not take is made again at the next pass", ["0 | a.csv:1 | | | | 2", "2 | a.csv:1 | | a.csv | | -", "2.1 | a.csv:1 | | a.csv | | -"] },
        { "a forget that did not happen is asked again", ["0 | | a.csv:ended | | a.csv | -", "1 | | a.csv:ended | | a.csv | -"] },
        { "the next check is the earliest settle time", ["0 | a.csv:1 | | | | 2", "1 | a.csv:1 b.csv:1 | | | | 2", "2 | a.csv:1 b.csv:1 | | a.csv | | 3", "3 | a.csv:1 b.csv:1 | a.csv:running | b.csv | | -"] },
        { "a file that vanished before it settled is dropped", ["0 | a.csv:1 | | | | 2", "1 | | | | | -", "2 | a.csv:1 | | | | 4"] },
        { "many files settle in one pass", ["0 | a.csv:1 b.csv:2 c.csv:3 | | | | 2", "2 | a.csv:1 b.csv:2 c.csv:3 | | a.csv b.csv c.csv | | -"] },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Scenario(string because, string[] passes)
    {
        var reconciler = new FileWatchReconciler(Spec);
        var state = FileWatchState.Empty;
        foreach (var pass in passes)
        {
            var fields = pass.Split('|', StringSplitOptions.TrimEntries);
            var decision = reconciler.Reconcile(Files(fields[1]), state, Orders(fields[2]), At(fields[0]));
            var step = $"{because}, at {pass}";
            Assert.True(Names(fields[3]).SequenceEqual(decision.Submit.Select(s => Name(s.OrderId))), $"submits: {step}");
            Assert.True(Names(fields[4]).SequenceEqual(decision.Forget.Select(Name)), $"forgets: {step}");
            Assert.True((fields[5] == "-" ? (TimeSpan?)null : At(fields[5])) == decision.NextCheck, $"next check {decision.NextCheck - Start}: {step}");
            Assert.Empty(decision.Unusable);
            state = decision.Next;
        }
    }

    [Fact]
    public void An_order_runs_the_watch_job_with_the_absolute_path_of_its_file()
    {
        var submission = Assert.Single(Settle(new FileWatchReconciler(Spec), "a b.csv").Submit);
        Assert.Equal("file:inbox:a b.csv", submission.OrderId);
        Assert.Equal("import", submission.Job);
        Assert.Equal(new Dictionary<string, string> { ["file"] = Path.GetFullPath("/data/in/a b.csv") }, submission.Arguments);
    }

    [Fact]
    public void Orders_of_other_watches_are_none_of_its_business()
    {
        var reconciler = new FileWatchReconciler(Spec);
        FileOrderEntry[] foreign = [new("file:other:a.csv", Ended: true), new("a.csv", Ended: true)];
        var decision = reconciler.Reconcile(Files(""), FileWatchState.Empty, foreign, Start);
        Assert.Empty(decision.Forget);
        Assert.Single(Settle(reconciler, "a.csv", foreign).Submit);
    }

    [Fact]
    public void A_name_that_makes_no_valid_order_id_is_reported_and_gets_no_order()
    {
        var decision = Settle(new FileWatchReconciler(Spec), "bad\nname.csv");
        Assert.Empty(decision.Submit);
        var unusable = Assert.Single(decision.Unusable);
        Assert.Equal(("bad\nname.csv", "an order id must not contain control characters"), (unusable.Name, unusable.Reason));
    }

    [Fact]
    public void Without_a_delay_a_replaced_file_is_forgotten_and_ordered_in_one_pass()
    {
        var reconciler = new FileWatchReconciler(Spec with { Delay = TimeSpan.Zero });
        var listing = Files("a.csv:2");
        var first = reconciler.Reconcile(Files(""), FileWatchState.Empty, Orders("a.csv:running"), Start);
        var second = reconciler.Reconcile(listing, first.Next, Orders("a.csv:ended"), Start + TimeSpan.FromSeconds(1));
        Assert.Equal(["file:inbox:a.csv"], second.Forget);
        Assert.Equal(["file:inbox:a.csv"], second.Submit.Select(s => s.OrderId));
    }

    private static FileWatchDecision Settle(FileWatchReconciler reconciler, string name, IReadOnlyList<FileOrderEntry>? durable = null)
    {
        var listing = new Dictionary<string, FileStamp> { [name] = new(1, DateTimeOffset.UnixEpoch) };
        var first = reconciler.Reconcile(listing, FileWatchState.Empty, durable ?? [], Start);
        return reconciler.Reconcile(listing, first.Next, durable ?? [], Start + Spec.Delay);
    }

    private static TimeSpan At(string seconds) => Start + TimeSpan.FromSeconds(double.Parse(seconds, CultureInfo.InvariantCulture));

    private static string[] Names(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static string Name(string orderId) => FileOrderIds.TryParse(orderId, out _, out var name) ? name : orderId;

    private static Dictionary<string, FileStamp> Files(string text) => Names(text).Select(file =>
    {
        var (name, rest) = Split(file, ':');
        var (size, minute) = rest.Contains('@', StringComparison.Ordinal) ? Split(rest, '@') : (rest, "0");
        var stamp = new FileStamp(long.Parse(size, CultureInfo.InvariantCulture), DateTimeOffset.UnixEpoch.AddMinutes(int.Parse(minute, CultureInfo.InvariantCulture)));
        return (name, stamp);
    }).ToDictionary(f => f.name, f => f.stamp);

    private static FileOrderEntry[] Orders(string text) => [.. Names(text).Select(order =>
    {
        var (name, state) = Split(order, ':');
        return new FileOrderEntry(FileOrderIds.Make(Spec.Id, name), state switch
        {
            "ended" => true,
            "running" => false,
            _ => throw new ArgumentException($"order state {state} is neither running nor ended"),
        });
    })];

    private static (string, string) Split(string text, char separator)
    {
        var at = text.LastIndexOf(separator);
        return (text[..at], text[(at + 1)..]);
    }
}
