using System.Net;
using System.Data.Common;
using System.Globalization;
using Failover.Storage.Directory;
using Failover.Storage.Membership;
using Orleans.Runtime;

namespace Failover.Storage;

/// <summary>
/// Row mapping shared by both providers. Each provider selects the columns in the order documented on each method
/// and supplies how it reads a timestamp column.
/// </summary>
internal static class StorageRows
{
    public const string MembershipColumns =
        "m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime";

    public const string OwnerColumns = "Address, Port, Generation, Epoch, ActivationId";

    /// <summary>How many columns <see cref="OwnerColumns"/> are: a column selected after them has this ordinal.</summary>
    public const int OwnerColumnCount = 5;

    public static long ReadInt64(DbDataReader reader, int ordinal) =>
        Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    public static int ReadInt32(DbDataReader reader, int ordinal) =>
        Convert.ToInt32(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    /// <summary>Reads <see cref="MembershipColumns"/> starting at <paramref name="offset"/>.</summary>
    public static MembershipRow ReadMembershipRow(DbDataReader reader, int offset, Func<DbDataReader, int, DateTime> readTime) => new()
    {
        Address = Silo(reader, offset),
        SiloName = reader.GetString(offset + 3),
        HostName = reader.GetString(offset + 4),
        Status = (SiloStatus)ReadInt32(reader, offset + 5),
        ProxyPort = reader.IsDBNull(offset + 6) ? 0 : ReadInt32(reader, offset + 6),
        SuspectTimes = SuspectTimesFormat.Parse(reader.IsDBNull(offset + 7) ? null : reader.GetString(offset + 7)),
        StartTime = readTime(reader, offset + 8),
        IAmAliveTime = readTime(reader, offset + 9),
    };

    /// <summary>Reads <see cref="OwnerColumns"/> starting at <paramref name="offset"/>.</summary>
    public static DirectoryEntry ReadDirectoryEntry(DbDataReader reader, int offset, GrainId grainId)
    {
        var owner = reader.IsDBNull(offset)
            ? null
            : Silo(reader, offset);
        var activation = reader.IsDBNull(offset + 4) ? default : ActivationId.FromParsableString(reader.GetString(offset + 4));
        return new DirectoryEntry(grainId, owner, activation, ReadInt64(reader, offset + 3));
    }

    /// <summary>Reads Address, Port, Generation starting at <paramref name="offset"/>.</summary>
    public static SiloAddress Silo(DbDataReader reader, int offset) =>
        SiloAddress.New(IPAddress.Parse(reader.GetString(offset)), ReadInt32(reader, offset + 1), ReadInt32(reader, offset + 2));
}
