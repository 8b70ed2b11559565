using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Failover.Storage.Sqlite;

/// <summary>The database clock and parameters. Timestamps are UTC text 'yyyy-MM-dd HH:mm:ss.fff', so text order is time order.</summary>
internal static class SqliteCommands
{
    /// <summary>The database clock in UTC, in the stored text format.</summary>
    public const string Now = "strftime('%Y-%m-%d %H:%M:%f', 'now')";

    private const string TimeFormat = "yyyy-MM-dd HH:mm:ss.fff";

    public static SqliteCommand Create(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    public static SqliteCommand With(this SqliteCommand command, string name, object? value)
    {
        command.Parameters.Add(Parameter(name, value));
        return command;
    }

    public static SqliteParameter Parameter(string name, object? value) => new(name, value ?? DBNull.Value);

    /// <summary>A time as stored: UTC, truncated to milliseconds.</summary>
    public static string TimeText(DateTime value) => StorageTime.ToUtcMilliseconds(value).ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static DateTime ReadTime(DbDataReader reader, int ordinal) =>
        DateTime.ParseExact(
            reader.GetString(ordinal),
            TimeFormat,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
