using Failover.Agents.FileWatches;

namespace Failover.Agents.Tests.FileWatches;

public sealed class FilePatternTests
{
    [Theory]
    [InlineData("*", "a.csv", true)]
    [InlineData("*", ".hidden", true)]
    [InlineData("*", "x", true)]
    [InlineData("*.csv", "a.csv", true)]
    [InlineData("*.csv", ".csv", true)]
    [InlineData("*.csv", "a.csv.tmp", false)]
    [InlineData("*.csv", "a.CSV", false)]
    [InlineData("*.csv", "a.csv.csv", true)]
    [InlineData("a.csv", "a.csv", true)]
    [InlineData("a.csv", "xa.csv", false)]
    [InlineData("a.csv", "a.csvx", false)]
    [InlineData("A.csv", "a.csv", false)]
    [InlineData("?.csv", "a.csv", true)]
    [InlineData("?.csv", ".csv", false)]
    [InlineData("?.csv", "ab.csv", false)]
    [InlineData("??", "ab", true)]
    [InlineData("??", "a", false)]
    [InlineData("in_*_??.dat", "in_2025-06-01_01.dat", true)]
    [InlineData("in_*_??.dat", "in__01.dat", true)]
    [InlineData("in_*_??.dat", "in_x_1.dat", false)]
    [InlineData("*a*b*", "xxaxxbxx", true)]
    [InlineData("*a*b*", "xxbxxaxx", false)]
    [InlineData("**", "", true)]
    [InlineData("*x", "xxxxxxxxxxxxxxxxxxxy", false)]
    [InlineData("?", "\U0001F600", true)]
    [InlineData(".*", ".hidden", true)]
    [InlineData(".*", "visible", false)]
    [InlineData("[a].csv", "[a].csv", true)]
    [InlineData("[a].csv", "a.csv", false)]
    [InlineData("a:b", "a:b", true)]
    public void Matches_the_whole_name_with_star_and_question_mark(string pattern, string name, bool matches) =>
        Assert.Equal(matches, new FilePattern(pattern).Matches(name));
}
