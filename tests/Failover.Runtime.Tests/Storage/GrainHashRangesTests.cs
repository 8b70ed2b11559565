using Failover.Runtime.Storage;

namespace Failover.Runtime.Tests.Storage;

public sealed class GrainHashRangesTests
{
    private static readonly uint[] Probes =
    [
        0, 1, 2, 1000, 0x7FFF_FFFE, 0x7FFF_FFFF, 0x8000_0000, 0x8000_0001, 0xC000_0000, 0xFFFF_FFFE, uint.MaxValue,
    ];

    [Fact]
    public void Split_ranges_select_exactly_the_unsigned_ring_range()
    {
        foreach (var begin in Probes)
        {
            foreach (var end in Probes)
            {
                var ranges = GrainHashRanges.Split(begin, end);
                Assert.Equal(GrainHashRanges.Count, ranges.Length);
                foreach (var hash in Probes)
                {
                    var stored = unchecked((int)hash);
                    var selected = ranges.Any(r => stored >= r.Low && stored <= r.High);
                    var expected = begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;
                    Assert.True(expected == selected, $"hash {hash:X8} in ({begin:X8}, {end:X8}]: expected {expected}");
                }
            }
        }
    }
}
