using Failover.Agents.Orders;

namespace Failover.Agents.Tests.Orders;

public sealed class OrderArgumentsTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("_")]
    [InlineData("File_Name_2")]
    [InlineData("_1")]
    public void Valid_names(string name) =>
        Assert.Null(OrderArguments.Validate(new Dictionary<string, string> { [name] = "v" }));

    public static TheoryData<string> InvalidNames => new() { "", "1a", "a-b", "a.b", "a b", "ä", "a=b", new string('n', 65) };

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public void Invalid_names(string name) =>
        Assert.Equal(
            $"argument name '{name}' is invalid: 1-64 characters from A-Z a-z 0-9 _, not starting with a digit",
            OrderArguments.Validate(new Dictionary<string, string> { [name] = "v" }));

    public static TheoryData<Dictionary<string, string>, string?> Cases => new()
    {
        { new(), null },
        { new() { [new string('n', 64)] = new string('v', 4096) }, null },
        { new() { ["a"] = "" }, null },
        { new() { ["a"] = "line 1\nline 2 ünïcode" }, null },
        { new() { ["a"] = new string('v', 4097) }, "argument 'a' is 4097 characters long; at most 4096" },
        { new() { ["a"] = "x\0y" }, "argument 'a' contains a NUL character, which an environment variable cannot hold" },
        { new() { ["a"] = null! }, "argument 'a' has no value" },
        { new() { ["Name"] = "1", ["name"] = "2" }, "arguments 'Name' and 'name' differ only in case" },
        { Many(64, 1000), null }, // 64 × (2 + 1000) bytes
        { Many(65, 1), "an order takes at most 64 arguments, not 65" },
        { Many(64, 1100), "the arguments take 70592 bytes (UTF-8, names and values); at most 65536" },
        { new() { ["a"] = new string('é', 4000), ["b"] = new string('é', 4000), ["c"] = new string('€', 4000), ["d"] = new string('€', 4000), ["e"] = new string('€', 4000), ["f"] = new string('€', 4000), ["g"] = new string('€', 4000) }, "the arguments take 76007 bytes (UTF-8, names and values); at most 65536" }, // bytes, not characters
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Limits(Dictionary<string, string> arguments, string? error) =>
        Assert.Equal(error, OrderArguments.Validate(arguments));

    private static Dictionary<string, string> Many(int count, int valueLength) =>
        Enumerable.Range(0, count).ToDictionary(i => $"a{i:00}", _ => new string('v', valueLength));
}
