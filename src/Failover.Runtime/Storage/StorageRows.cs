using System.Data.Common;
using System.Globalization;
using Failover.Runtime.Directory;
using Failover.Runtime.Grains;
using Failover.Runtime.Membership;
using Failover.Runtime.Reminders;

namespace Failover.Runtime.Storage;

/// <summary>
/// Row mapping shared by both providers. Each provider selects the columns in the order documented on each method
/// and supplies how it reads a timestamp column.
/// </summary>
internal static class StorageRows
{
    public const string MembershipColumns =
        "m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime";

    public const string ReminderColumns = "GrainId, ReminderName, StartTime, Period, Version";

    public const string OwnerColumns = "Address, Port, Generation, Epoch";

    public static long ReadInt64(DbDataReader reader, int ordinal) =>
        Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    public static int ReadInt32(DbDataReader reader, int ordinal) =>
        Convert.ToInt32(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    /// <summary>Reads <see cref="MembershipColumns"/> starting at <paramref name="offset"/>.</summary>
    public static MembershipEntry ReadMembershipEntry(DbDataReader reader, int offset, Func<DbDataReader, int, DateTime> readTime) => new()
    {
        Address = new SiloAddress(reader.GetString(offset), ReadInt32(reader, offset + 1), ReadInt32(reader, offset + 2)),
        SiloName = reader.GetString(offset + 3),
        HostName = reader.GetString(offset + 4),
        Status = (SiloStatus)ReadInt32(reader, offset + 5),
        ProxyPort = reader.IsDBNull(offset + 6) ? 0 : ReadInt32(reader, offset + 6),
        SuspectTimes = SuspectTimesFormat.Parse(reader.IsDBNull(offset + 7) ? null : reader.GetString(offset + 7)),
        StartTime = readTime(reader, offset + 8),
        IAmAliveTime = readTime(reader, offset + 9),
    };

    /// <summary>Reads <see cref="ReminderColumns"/> from ordinal 0.</summary>
    public static ReminderEntry ReadReminder(DbDataReader reader, Func<DbDataReader, int, DateTime> readTime) => new()
    {
        GrainId = GrainId.Parse(reader.GetString(0)),
        ReminderName = reader.GetString(1),
        StartTime = readTime(reader, 2),
        Period = TimeSpan.FromMilliseconds(ReadInt64(reader, 3)),
        Version = ReadInt64(reader, 4),
    };

    /// <summary>Reads <see cref="OwnerColumns"/> starting at <paramref name="offset"/>.</summary>
    public static DirectoryEntry ReadDirectoryEntry(DbDataReader reader, int offset, GrainId grainId)
    {
        var owner = reader.IsDBNull(offset)
            ? null
            : new SiloAddress(reader.GetString(offset), ReadInt32(reader, offset + 1), ReadInt32(reader, offset + 2));
        return new DirectoryEntry(grainId, owner, ReadInt64(reader, offset + 3));
    }
}
