using Failover.Agents.FileWatches;

namespace Failover.Agents.Tests.FileWatches;

public sealed class FileOrderIdsTests
{
    [Theory]
    [InlineData("inbox", "a.csv", "file:inbox:a.csv")]
    [InlineData("inbox", "a:b:c", "file:inbox:a:b:c")]
    [InlineData("w-1.x_y", ".hidden", "file:w-1.x_y:.hidden")]
    public void Make_and_parse_round_trip(string watch, string name, string id)
    {
        Assert.Equal(id, FileOrderIds.Make(watch, name));
        Assert.True(FileOrderIds.TryParse(id, out var parsedWatch, out var parsedName));
        Assert.Equal((watch, name), (parsedWatch, parsedName));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("inbox:a.csv")]
    [InlineData("File:inbox:a.csv")]
    [InlineData("file:")]
    [InlineData("file:inbox")]
    [InlineData("file:inbox:")]
    [InlineData("file::a.csv")]
    public void Other_ids_do_not_parse(string? id) => Assert.False(FileOrderIds.TryParse(id, out _, out _));

    [Theory]
    [InlineData("", "a.csv")]
    [InlineData("in:box", "a.csv")]
    [InlineData("inbox", "")]
    public void Make_refuses_what_would_not_parse_back(string watch, string name) =>
        Assert.ThrowsAny<ArgumentException>(() => FileOrderIds.Make(watch, name));

    [Fact]
    public void The_watch_prefix_starts_every_id_of_the_watch() =>
        Assert.StartsWith(FileOrderIds.WatchPrefix("inbox"), FileOrderIds.Make("inbox", "a.csv"), StringComparison.Ordinal);
}
