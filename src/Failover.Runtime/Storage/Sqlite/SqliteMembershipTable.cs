using Failover.Runtime.Membership;
using Microsoft.Data.Sqlite;
using static Failover.Runtime.Storage.Sqlite.SqliteCommands;

namespace Failover.Runtime.Storage.Sqlite;

/// <summary>Orleans' membership protocol on SQLite. Every CAS runs under BEGIN IMMEDIATE, i.e. holding the file's write lock.</summary>
internal sealed class SqliteMembershipTable(SqliteConnections connections, string clusterId) : IMembershipTable
{
    private const string RowKey = "DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation";

    // One statement, so the version and the rows come from one read snapshot.
    private const string ReadAllSql = $"""
        SELECT n.DbNow, v.Version, {StorageRows.MembershipColumns}
        FROM (SELECT {Now} AS DbNow) n
        LEFT JOIN OrleansMembershipVersionTable v ON v.DeploymentId = @DeploymentId
        LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
        ORDER BY m.Address, m.Port, m.Generation
        """;

    private const string BumpVersionSql = $"""
        UPDATE OrleansMembershipVersionTable SET Version = Version + 1, Timestamp = {Now}
        WHERE DeploymentId = @DeploymentId AND Version = @ExpectedVersion
        """;

    private const string InsertSql = $"""
        INSERT INTO OrleansMembershipTable
            (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, SuspectTimes, StartTime, IAmAliveTime)
        VALUES
            (@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @SuspectTimes, @StartTime, {Now})
        ON CONFLICT DO NOTHING
        """;

    private const string UpdateSql = $"""
        UPDATE OrleansMembershipTable SET Status = @Status, ProxyPort = @ProxyPort, SuspectTimes = @SuspectTimes
        WHERE {RowKey}
        """;

    private const string IAmAliveSql = $"UPDATE OrleansMembershipTable SET IAmAliveTime = {Now} WHERE {RowKey} AND Status <> 6 RETURNING IAmAliveTime";

    public Task InitializeAsync(CancellationToken cancellationToken) =>
        connections.RunAsync(
            async (connection, token) =>
            {
                await using var command = Create(
                        connection,
                        $"""
                        INSERT INTO OrleansMembershipVersionTable (DeploymentId, Timestamp, Version)
                        VALUES (@DeploymentId, {Now}, 0)
                        ON CONFLICT (DeploymentId) DO NOTHING
                        """)
                    .With("DeploymentId", clusterId);
                return await command.ExecuteNonQueryAsync(token);
            },
            cancellationToken);

    public Task<MembershipSnapshot> ReadAllAsync(CancellationToken cancellationToken) =>
        connections.RunAsync(
            async (connection, token) =>
            {
                await using var command = Create(connection, ReadAllSql).With("DeploymentId", clusterId);
                await using var reader = await command.ExecuteReaderAsync(token);
                var entries = new List<MembershipEntry>();
                var now = DateTime.MinValue;
                long version = 0;
                while (await reader.ReadAsync(token))
                {
                    now = ReadTime(reader, 0);
                    version = reader.IsDBNull(1) ? 0 : reader.GetInt64(1);
                    if (!reader.IsDBNull(2))
                    {
                        entries.Add(StorageRows.ReadMembershipEntry(reader, 2, ReadTime));
                    }
                }

                return new MembershipSnapshot(entries, version, now);
            },
            cancellationToken);

    public Task<bool> InsertRowAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken)
    {
        ColumnLimits.Entry(entry);
        return connections.RunInTransactionAsync(
            async (connection, transaction, token) =>
            {
                if (!await BumpVersionAsync(connection, transaction, expectedVersion, token))
                {
                    return false;
                }

                await using var insert = Create(connection, InsertSql, transaction)
                    .With("DeploymentId", clusterId)
                    .WithSilo(entry.Address)
                    .With("SiloName", entry.SiloName)
                    .With("HostName", entry.HostName)
                    .With("Status", (int)entry.Status)
                    .With("ProxyPort", entry.ProxyPort)
                    .With("SuspectTimes", SuspectTimesFormat.Format(entry.SuspectTimes))
                    .WithTimestamp("StartTime", entry.StartTime);
                if (await insert.ExecuteNonQueryAsync(token) == 0)
                {
                    return false;
                }

                await transaction.CommitAsync(token);
                return true;
            },
            cancellationToken);
    }

    public Task<bool> UpdateRowAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken)
    {
        ColumnLimits.Entry(entry);
        return connections.RunInTransactionAsync(
            async (connection, transaction, token) =>
            {
                if (!await BumpVersionAsync(connection, transaction, expectedVersion, token))
                {
                    return false;
                }

                await using var update = Create(connection, UpdateSql, transaction)
                    .With("DeploymentId", clusterId)
                    .WithSilo(entry.Address)
                    .With("Status", (int)entry.Status)
                    .With("ProxyPort", entry.ProxyPort)
                    .With("SuspectTimes", SuspectTimesFormat.Format(entry.SuspectTimes));
                if (await update.ExecuteNonQueryAsync(token) == 0)
                {
                    return false;
                }

                await transaction.CommitAsync(token);
                return true;
            },
            cancellationToken);
    }

    public Task<DateTime> UpdateIAmAliveAsync(SiloAddress address, CancellationToken cancellationToken)
    {
        ColumnLimits.Silo(address);
        return connections.RunAsync(
            async (connection, token) =>
            {
                await using var command = Create(connection, IAmAliveSql).With("DeploymentId", clusterId).WithSilo(address);
                await using var reader = await command.ExecuteReaderAsync(token);
                return await reader.ReadAsync(token)
                    ? ReadTime(reader, 0)
                    : throw new SiloDeclaredDeadException($"Silo {address} is Dead or has no row in the membership table of cluster '{clusterId}': its lease cannot be renewed.");
            },
            cancellationToken);
    }

    public Task<int> CleanupDefunctEntriesAsync(DateTime olderThan, CancellationToken cancellationToken) =>
        connections.RunAsync(
            async (connection, token) =>
            {
                await using var command = Create(
                        connection,
                        $"""
                        DELETE FROM OrleansMembershipTable
                        WHERE DeploymentId = @DeploymentId AND Status <> {(int)SiloStatus.Active} AND IAmAliveTime < @OlderThan
                        """)
                    .With("DeploymentId", clusterId)
                    .WithTimestamp("OlderThan", olderThan);
                return await command.ExecuteNonQueryAsync(token);
            },
            cancellationToken);

    public Task DeleteClusterAsync(CancellationToken cancellationToken) =>
        connections.RunInTransactionAsync(
            async (connection, transaction, token) =>
            {
                await using var command = Create(
                        connection,
                        """
                        DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
                        DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;
                        """,
                        transaction)
                    .With("DeploymentId", clusterId);
                await command.ExecuteNonQueryAsync(token);
                await transaction.CommitAsync(token);
                return true;
            },
            cancellationToken);

    private async Task<bool> BumpVersionAsync(
        SqliteConnection connection, SqliteTransaction transaction, long expectedVersion, CancellationToken cancellationToken)
    {
        await using var bump = Create(connection, BumpVersionSql, transaction)
            .With("DeploymentId", clusterId)
            .With("ExpectedVersion", expectedVersion);
        return await bump.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}
