namespace Failover.Runtime.Storage;

/// <summary>
/// GrainHash is an unsigned ring hash stored as <c>unchecked((int)hash)</c> in a signed integer column. This turns
/// the unsigned ring range (begin, end] into inclusive ranges over the signed column values, so the query stays a
/// plain index range scan and is correct for hashes ≥ 2^31.
/// </summary>
internal static class GrainHashRanges
{
    /// <summary>A wrapped range splits at uint.MaxValue, and each part may split again at 2^31.</summary>
    public const int Count = 4;

    private const uint SignBit = 0x8000_0000;

    public static int ToColumn(uint hash) => unchecked((int)hash);

    /// <summary>Exactly <see cref="Count"/> inclusive (Low, High) ranges; unused ones are empty (Low &gt; High).</summary>
    public static (int Low, int High)[] Split(uint begin, uint end)
    {
        var ranges = new List<(int Low, int High)>(Count);
        if (begin < end)
        {
            AddUnsigned(ranges, begin + 1, end);
        }
        else
        {
            // Wrap-around (begin == end is the whole ring): (begin, uint.MaxValue] and [0, end].
            if (begin < uint.MaxValue)
            {
                AddUnsigned(ranges, begin + 1, uint.MaxValue);
            }

            AddUnsigned(ranges, 0, end);
        }

        while (ranges.Count < Count)
        {
            ranges.Add((1, 0));
        }

        return [.. ranges];
    }

    private static void AddUnsigned(List<(int Low, int High)> ranges, uint low, uint high)
    {
        if (high < SignBit || low >= SignBit)
        {
            ranges.Add((ToColumn(low), ToColumn(high)));
        }
        else
        {
            ranges.Add((ToColumn(low), int.MaxValue));
            ranges.Add((int.MinValue, ToColumn(high)));
        }
    }
}
