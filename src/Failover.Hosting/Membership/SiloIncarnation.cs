using Orleans.Runtime;

namespace Failover.Hosting.Membership;

/// <summary>A silo incarnation written as text (<c>ip:port@generation</c>, <see cref="SiloAddress.ToParsableString"/>).</summary>
public static class SiloIncarnation
{
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SiloAddress? silo)
    {
        silo = null;
        if (string.IsNullOrEmpty(text) || text.IndexOf('@', StringComparison.Ordinal) < 0)
        {
            return false;
        }

        try
        {
            silo = SiloAddress.FromParsableString(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
