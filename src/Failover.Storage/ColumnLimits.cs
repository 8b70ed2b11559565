using Orleans.Runtime;
namespace Failover.Storage;

/// <summary>
/// Column widths of the schema (Orleans' varchar(150) names, varchar(45) addresses), checked before a write so that
/// SQLite (which does not enforce them) and PostgreSQL (which does) accept exactly the same values.
/// </summary>
internal static class ColumnLimits
{
    public const int Name = 150;
    public const int Address = 45;
    public const int SuspectTimes = 8000;

    public static string Check(string value, int maxLength, string what)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            throw new ArgumentException($"{what} must not be empty.");
        }

        if (value.Length > maxLength)
        {
            throw new ArgumentException($"{what} '{value[..Math.Min(value.Length, 40)]}...' is {value.Length} characters long; at most {maxLength} fit the table.");
        }

        return value;
    }

    public static string Grain(GrainId grainId) => Check(grainId.ToString(), Name, "grain id");

    public static SiloAddress Silo(SiloAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Check(address.Endpoint.Address.ToString(), Address, "silo address host");
        return address;
    }
}
