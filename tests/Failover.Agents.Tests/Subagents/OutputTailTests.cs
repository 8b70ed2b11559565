using System.Text;
using Failover.Agents.Subagents;

namespace Failover.Agents.Tests.Subagents;

public sealed class OutputTailTests
{
    [Fact]
    public void Keeps_everything_below_the_capacity()
    {
        var tail = new OutputTail(16);
        tail.Append("abc");
        tail.Append("def");

        Assert.Equal("abcdef", tail.ToString());
        Assert.False(tail.Truncated);
    }

    [Fact]
    public void Keeps_the_last_bytes_across_wrap_arounds()
    {
        var tail = new OutputTail(8);
        for (var i = 0; i < 10; i++)
        {
            tail.Append("0123456789"[i..(i + 1)] + "-");
        }

        Assert.Equal("6-7-8-9-", tail.ToString());
        tail.Append("a-much-longer-write");
        Assert.Equal("er-write", tail.ToString());
        Assert.True(tail.Truncated);
    }

    [Fact]
    public void Never_cuts_a_character_in_half()
    {
        var tail = new OutputTail(7);
        tail.Append(Encoding.UTF8.GetBytes("ééééé")); // 10 bytes: the cut falls inside the second é

        Assert.Equal("ééé", tail.ToString());
    }
}
