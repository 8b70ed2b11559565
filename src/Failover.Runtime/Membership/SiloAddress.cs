using System.Globalization;

namespace Failover.Runtime.Membership;

/// <summary>Host, port and generation of one silo incarnation. Rendered as Orleans does: <c>host:port@generation</c>.</summary>
public sealed record SiloAddress(string Host, int Port, int Generation)
{
    /// <summary>Orleans' generation epoch: generations are seconds since 2022-01-01 UTC.</summary>
    public static readonly DateTimeOffset GenerationEpoch = new(2022, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static int NewGeneration(TimeProvider time) =>
        checked((int)(time.GetUtcNow() - GenerationEpoch).TotalSeconds);

    public string Endpoint => $"{Host}:{Port}";

    public bool IsSameEndpoint(SiloAddress other) => Host == other.Host && Port == other.Port;

    public override string ToString() => $"{Host}:{Port}@{Generation}";

    public static SiloAddress Parse(string value)
    {
        if (!TryParse(value, out var address))
        {
            throw new FormatException($"'{value}' is not a silo address of the form host:port@generation.");
        }

        return address;
    }

    public static bool TryParse(string value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SiloAddress? address)
    {
        address = null;
        var at = value.LastIndexOf('@');
        if (at < 0)
        {
            return false;
        }

        var colon = value.LastIndexOf(':', at);
        if (colon <= 0)
        {
            return false;
        }

        if (!int.TryParse(value.AsSpan(colon + 1, at - colon - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || !int.TryParse(value.AsSpan(at + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var generation))
        {
            return false;
        }

        address = new SiloAddress(value[..colon], port, generation);
        return true;
    }
}
