using Failover.Runtime.Grains;
using Failover.Runtime.Reminders;
using static Failover.Runtime.Storage.PostgreSql.PostgreSqlCommands;

namespace Failover.Runtime.Storage.PostgreSql;

/// <summary>Orleans' reminders table on PostgreSQL.</summary>
internal sealed class PostgreSqlReminderTable(PostgreSqlConnections connections, string serviceId) : IReminderTable
{
    private const string SelectSql = $"SELECT {StorageRows.ReminderColumns} FROM OrleansRemindersTable WHERE ServiceId = @ServiceId";

    private const string RangeSql = $"""
        {SelectSql} AND (GrainHash BETWEEN @Low0 AND @High0 OR GrainHash BETWEEN @Low1 AND @High1
            OR GrainHash BETWEEN @Low2 AND @High2 OR GrainHash BETWEEN @Low3 AND @High3)
        ORDER BY GrainHash, GrainId, ReminderName
        """;

    private const string UpsertSql = """
        INSERT INTO OrleansRemindersTable AS r (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
        VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 1)
        ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
        SET StartTime = EXCLUDED.StartTime, Period = EXCLUDED.Period, GrainHash = EXCLUDED.GrainHash, Version = r.Version + 1
        RETURNING Version
        """;

    private const string RecordTickSql = """
        INSERT INTO FailoverReminderTicks (ServiceId, GrainId, ReminderName, LastTickTime)
        VALUES (@ServiceId, @GrainId, @ReminderName, @TickTime)
        ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
        SET LastTickTime = GREATEST(FailoverReminderTicks.LastTickTime, EXCLUDED.LastTickTime)
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

    public async Task<ReminderEntry?> ReadRowAsync(GrainId grainId, string reminderName, CancellationToken cancellationToken)
    {
        var grain = ColumnLimits.Grain(grainId);
        ColumnLimits.Check(reminderName, ColumnLimits.Name, "reminder name");
        var rows = await connections.RunAsync(
            async (connection, token) =>
            {
                await using var command = Create(connection, $"{SelectSql} AND GrainId = @GrainId AND ReminderName = @ReminderName")
                    .WithText("ServiceId", serviceId)
                    .WithText("GrainId", grain)
                    .WithText("ReminderName", reminderName);
                return await ReadAllAsync(command, token);
            },
            cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    public Task<IReadOnlyList<ReminderEntry>> ReadRowsAsync(GrainId grainId, CancellationToken cancellationToken)
    {
        var grain = ColumnLimits.Grain(grainId);
        return connections.RunAsync(
            async (connection, token) =>
            {
                await using var command = Create(connection, $"{SelectSql} AND GrainId = @GrainId ORDER BY ReminderName")
                    .WithText("ServiceId", serviceId)
                    .WithText("GrainId", grain);
                return await ReadAllAsync(command, token);
            },
            cancellationToken);
    }

    public Task<IReadOnlyList<ReminderEntry>> ReadRowsAsync(uint begin, uint end, CancellationToken cancellationToken) =>
        connections.RunAsync(
            async (connection, token) =>
            {
                await using var command = Create(connection, RangeSql).WithText("ServiceId", serviceId);
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
        var grain = ColumnLimits.Grain(entry.GrainId);
        ColumnLimits.Check(entry.ReminderName, ColumnLimits.Name, "reminder name");
        var period = StorageTime.ToMilliseconds(entry.Period);
        return connections.RunAsync(
            async (connection, token) =>
            {
                await using var command = Create(connection, UpsertSql)
                    .WithText("ServiceId", serviceId)
                    .WithText("GrainId", grain)
                    .WithText("ReminderName", entry.ReminderName)
                    .WithTimestamp("StartTime", entry.StartTime)
                    .With("Period", period)
                    .With("GrainHash", GrainHashRanges.ToColumn(entry.GrainHash));
                return Convert.ToInt64(await command.ExecuteScalarAsync(token), System.Globalization.CultureInfo.InvariantCulture);
            },
            cancellationToken);
    }

    public Task RecordDeliveredTickAsync(GrainId grainId, string reminderName, DateTime tickTime, CancellationToken cancellationToken)
    {
        var grain = ColumnLimits.Grain(grainId);
        ColumnLimits.Check(reminderName, ColumnLimits.Name, "reminder name");
        return connections.RunAsync(
            async (connection, token) =>
            {
                await using var command = Create(connection, RecordTickSql)
                    .WithText("ServiceId", serviceId)
                    .WithText("GrainId", grain)
                    .WithText("ReminderName", reminderName)
                    .WithTimestamp("TickTime", tickTime);
                return await command.ExecuteNonQueryAsync(token);
            },
            cancellationToken);
    }

    public Task<DateTime?> ReadLastDeliveredTickAsync(GrainId grainId, string reminderName, CancellationToken cancellationToken)
    {
        var grain = ColumnLimits.Grain(grainId);
        ColumnLimits.Check(reminderName, ColumnLimits.Name, "reminder name");
        return connections.RunAsync(
            async (connection, token) =>
            {
                await using var command = Create(connection, LastTickSql)
                    .WithText("ServiceId", serviceId)
                    .WithText("GrainId", grain)
                    .WithText("ReminderName", reminderName);
                await using var reader = await command.ExecuteReaderAsync(token);
                return await reader.ReadAsync(token) ? ReadTime(reader, 0) : (DateTime?)null;
            },
            cancellationToken);
    }

    public Task<bool> RemoveRowAsync(GrainId grainId, string reminderName, long version, CancellationToken cancellationToken)
    {
        var grain = ColumnLimits.Grain(grainId);
        ColumnLimits.Check(reminderName, ColumnLimits.Name, "reminder name");
        return connections.RunAsync(
            async (connection, token) =>
            {
                await using var command = Create(connection, DeleteSql)
                    .WithText("ServiceId", serviceId)
                    .WithText("GrainId", grain)
                    .WithText("ReminderName", reminderName)
                    .With("Version", version);
                if (await command.ExecuteNonQueryAsync(token) == 0)
                {
                    return false;
                }

                await using var ticks = Create(connection, DeleteTicksSql)
                    .WithText("ServiceId", serviceId)
                    .WithText("GrainId", grain)
                    .WithText("ReminderName", reminderName);
                await ticks.ExecuteNonQueryAsync(token);
                return true;
            },
            cancellationToken);
    }

    private static async Task<IReadOnlyList<ReminderEntry>> ReadAllAsync(Npgsql.NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<ReminderEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(StorageRows.ReadReminder(reader, ReadTime));
        }

        return rows;
    }
}
