using System.Globalization;
using Failover.Runtime.Grains;
using Failover.Runtime.Reminders;
using Failover.Runtime.Storage.Sql;

namespace Failover.Runtime.Storage.Tables;

/// <summary>Orleans' reminders table.</summary>
internal sealed class SqlReminderTable(SqlDialect dialect, string serviceId) : IReminderTable
{
    private const string SelectSql = $"SELECT {StorageRows.ReminderColumns} FROM OrleansRemindersTable WHERE ServiceId = @ServiceId";

    private const string RangeSql = $"""
        {SelectSql} AND (GrainHash BETWEEN @Low0 AND @High0 OR GrainHash BETWEEN @Low1 AND @High1
            OR GrainHash BETWEEN @Low2 AND @High2 OR GrainHash BETWEEN @Low3 AND @High3)
        ORDER BY GrainHash, GrainId, ReminderName
        """;

    private const string UpsertSql = """
        INSERT INTO OrleansRemindersTable (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
        VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 1)
        ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
        SET StartTime = excluded.StartTime, Period = excluded.Period, GrainHash = excluded.GrainHash,
            Version = OrleansRemindersTable.Version + 1
        RETURNING Version
        """;

    private const string DeleteTicksSql =
        "DELETE FROM FailoverReminderTicks WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName";

    private const string LastTickSql = """
        SELECT LastTickTime FROM FailoverReminderTicks WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName
        """;

    private const string DeleteSql = """
        DELETE FROM OrleansRemindersTable
        WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName AND Version = @Version
        """;

    private readonly string recordTickSql = $"""
        INSERT INTO FailoverReminderTicks (ServiceId, GrainId, ReminderName, LastTickTime)
        VALUES (@ServiceId, @GrainId, @ReminderName, @TickTime)
        ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
        SET LastTickTime = {dialect.Greatest}(FailoverReminderTicks.LastTickTime, excluded.LastTickTime)
        """;

    public async Task<ReminderEntry?> ReadRowAsync(GrainId grainId, string reminderName, CancellationToken cancellationToken)
    {
        var grain = CheckKey(grainId, reminderName);
        var rows = await dialect.RunAsync(
            async (session, token) =>
            {
                await using var command = Keyed(session, $"{SelectSql} AND GrainId = @GrainId AND ReminderName = @ReminderName", grain, reminderName);
                return await ReadAllAsync(command, token);
            },
            cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    public Task<IReadOnlyList<ReminderEntry>> ReadRowsAsync(GrainId grainId, CancellationToken cancellationToken)
    {
        var grain = ColumnLimits.Grain(grainId);
        return dialect.RunAsync(
            async (session, token) =>
            {
                await using var command = session.Command($"{SelectSql} AND GrainId = @GrainId ORDER BY ReminderName")
                    .WithText("ServiceId", serviceId)
                    .WithText("GrainId", grain);
                return await ReadAllAsync(command, token);
            },
            cancellationToken);
    }

    public Task<IReadOnlyList<ReminderEntry>> ReadRowsAsync(uint begin, uint end, CancellationToken cancellationToken) =>
        dialect.RunAsync(
            async (session, token) =>
            {
                await using var command = session.Command(RangeSql).WithText("ServiceId", serviceId);
                var ranges = GrainHashRanges.Split(begin, end);
                for (var i = 0; i < ranges.Length; i++)
                {
                    command.With($"Low{i}", ranges[i].Low).With($"High{i}", ranges[i].High);
                }

                return await ReadAllAsync(command, token);
            },
            cancellationToken);

    public Task<long> UpsertRowAsync(ReminderEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var grain = CheckKey(entry.GrainId, entry.ReminderName);
        var period = StorageTime.ToMilliseconds(entry.Period);
        return dialect.RunAsync(
            async (session, token) =>
            {
                await using var command = Keyed(session, UpsertSql, grain, entry.ReminderName)
                    .WithTimestamp("StartTime", entry.StartTime)
                    .With("Period", period)
                    .With("GrainHash", GrainHashRanges.ToColumn(entry.GrainHash));
                return Convert.ToInt64(await command.ExecuteScalarAsync(token), CultureInfo.InvariantCulture);
            },
            cancellationToken);
    }

    public Task RecordDeliveredTickAsync(GrainId grainId, string reminderName, DateTime tickTime, CancellationToken cancellationToken)
    {
        var grain = CheckKey(grainId, reminderName);
        return dialect.RunAsync(
            async (session, token) =>
            {
                await using var command = Keyed(session, recordTickSql, grain, reminderName).WithTimestamp("TickTime", tickTime);
                return await command.ExecuteNonQueryAsync(token);
            },
            cancellationToken);
    }

    public Task<DateTime?> ReadLastDeliveredTickAsync(GrainId grainId, string reminderName, CancellationToken cancellationToken)
    {
        var grain = CheckKey(grainId, reminderName);
        return dialect.RunAsync(
            async (session, token) =>
            {
                await using var command = Keyed(session, LastTickSql, grain, reminderName);
                await using var reader = await command.ExecuteReaderAsync(token);
                return await reader.ReadAsync(token) ? dialect.ReadTime(reader, 0) : (DateTime?)null;
            },
            cancellationToken);
    }

    public Task<bool> RemoveRowAsync(GrainId grainId, string reminderName, long version, CancellationToken cancellationToken)
    {
        var grain = CheckKey(grainId, reminderName);
        return dialect.RunAsync(
            async (session, token) =>
            {
                await using var command = Keyed(session, DeleteSql, grain, reminderName).With("Version", version);
                if (await command.ExecuteNonQueryAsync(token) == 0)
                {
                    return false;
                }

                await using var ticks = Keyed(session, DeleteTicksSql, grain, reminderName);
                await ticks.ExecuteNonQueryAsync(token);
                return true;
            },
            cancellationToken);
    }

    private static string CheckKey(GrainId grainId, string reminderName)
    {
        var grain = ColumnLimits.Grain(grainId);
        ColumnLimits.Check(reminderName, ColumnLimits.Name, "reminder name");
        return grain;
    }

    /// <summary>A command with @ServiceId, @GrainId and @ReminderName bound.</summary>
    private DialectCommand Keyed(SqlSession session, string sql, string grain, string reminderName) =>
        session.Command(sql).WithText("ServiceId", serviceId).WithText("GrainId", grain).WithText("ReminderName", reminderName);

    private async Task<IReadOnlyList<ReminderEntry>> ReadAllAsync(DialectCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<ReminderEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(StorageRows.ReadReminder(reader, dialect.ReadTime));
        }

        return rows;
    }
}
