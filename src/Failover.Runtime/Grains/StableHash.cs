using System.Text;

namespace Failover.Runtime.Grains;

/// <summary>FNV-1a over UTF-8: tiny, stable across processes and versions (string.GetHashCode is randomized).</summary>
internal static class StableHash
{
    public static uint Compute(string value)
    {
        const uint offsetBasis = 2166136261;
        const uint prime = 16777619;
        var hash = offsetBasis;
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            hash = (hash ^ b) * prime;
        }

        return hash;
    }
}
