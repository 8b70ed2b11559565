using Npgsql;
using NpgsqlTypes;

namespace Failover.Storage.PostgreSql;

/// <summary>The database clock and typed parameters. timestamp(3) columns hold UTC without a time zone.</summary>
internal static class PostgreSqlCommands
{
    /// <summary>The database clock in UTC at the precision of the columns, so values compare consistently.</summary>
    public const string Now = "(now() at time zone 'utc')::timestamp(3)";

    public static NpgsqlCommand Create(NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction = null) =>
        new(sql, connection, transaction);

    public static NpgsqlCommand With<T>(this NpgsqlCommand command, string name, T value)
    {
        command.Parameters.Add(new NpgsqlParameter<T>(name, value));
        return command;
    }

    public static NpgsqlCommand WithText(this NpgsqlCommand command, string name, string? value)
    {
        command.Parameters.Add(TextParameter(name, value));
        return command;
    }

    public static NpgsqlParameter TextParameter(string name, string? value) =>
        new(name, NpgsqlDbType.Varchar) { Value = (object?)value ?? DBNull.Value };

    public static NpgsqlParameter<DateTime> TimestampParameter(string name, DateTime value) =>
        new(name, NpgsqlDbType.Timestamp)
        {
            TypedValue = DateTime.SpecifyKind(StorageTime.ToUtcMilliseconds(value), DateTimeKind.Unspecified),
        };

    public static DateTime ReadTime(System.Data.Common.DbDataReader reader, int ordinal) =>
        DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc);
}
