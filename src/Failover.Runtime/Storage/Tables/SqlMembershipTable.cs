using Failover.Runtime.Membership;
using Failover.Runtime.Storage.Sql;

namespace Failover.Runtime.Storage.Tables;

/// <summary>
/// Orleans' membership protocol. A CAS is one compare-and-swap transaction that first bumps the version row with
/// <c>WHERE Version = @ExpectedVersion</c>. On PostgreSQL (READ COMMITTED) a concurrent CAS blocks on that row and,
/// once the winner commits, re-evaluates the WHERE against the new version and updates nothing; on SQLite every CAS
/// runs under BEGIN IMMEDIATE, i.e. holding the file's write lock.
/// </summary>
internal sealed class SqlMembershipTable(SqlDialect dialect, string clusterId) : IMembershipTable
{
    private const string RowKey = "DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation";

    private const string UpdateSql = $"""
        UPDATE OrleansMembershipTable SET Status = @Status, ProxyPort = @ProxyPort, SuspectTimes = @SuspectTimes
        WHERE {RowKey}
        """;

    private static readonly string CleanupSql = $"""
        DELETE FROM OrleansMembershipTable
        WHERE DeploymentId = @DeploymentId AND Status <> {(int)SiloStatus.Active} AND IAmAliveTime < @OlderThan
        """;

    private const string DeleteClusterSql = """
        DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
        DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;
        """;

    private readonly string initializeSql = $"""
        INSERT INTO OrleansMembershipVersionTable (DeploymentId, Timestamp, Version)
        VALUES (@DeploymentId, {dialect.Now}, 0)
        ON CONFLICT (DeploymentId) DO NOTHING
        """;

    // One statement, so the version and the rows come from one read snapshot.
    private readonly string readAllSql = $"""
        SELECT n.DbNow, v.Version, {StorageRows.MembershipColumns}
        FROM (SELECT {dialect.Now} AS DbNow) n
        LEFT JOIN OrleansMembershipVersionTable v ON v.DeploymentId = @DeploymentId
        LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
        ORDER BY m.Address, m.Port, m.Generation
        """;

    private readonly string bumpVersionSql = $"""
        UPDATE OrleansMembershipVersionTable SET Version = Version + 1, Timestamp = {dialect.Now}
        WHERE DeploymentId = @DeploymentId AND Version = @ExpectedVersion
        """;

    private readonly string insertSql = $"""
        INSERT INTO OrleansMembershipTable
            (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, SuspectTimes, StartTime, IAmAliveTime)
        VALUES
            (@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @SuspectTimes, @StartTime, {dialect.Now})
        ON CONFLICT DO NOTHING
        """;

    private readonly string iAmAliveSql =
        $"UPDATE OrleansMembershipTable SET IAmAliveTime = {dialect.Now} WHERE {RowKey} AND Status <> 6 RETURNING IAmAliveTime";

    public Task InitializeAsync(CancellationToken cancellationToken) =>
        dialect.RunAsync(
            async (session, token) =>
            {
                await using var command = session.Command(initializeSql).WithText("DeploymentId", clusterId);
                return await command.ExecuteNonQueryAsync(token);
            },
            cancellationToken);

    public Task<MembershipSnapshot> ReadAllAsync(CancellationToken cancellationToken) =>
        dialect.RunAsync(
            async (session, token) =>
            {
                await using var command = session.Command(readAllSql).WithText("DeploymentId", clusterId);
                await using var reader = await command.ExecuteReaderAsync(token);
                var entries = new List<MembershipEntry>();
                var now = DateTime.MinValue;
                long version = 0;
                while (await reader.ReadAsync(token))
                {
                    now = dialect.ReadTime(reader, 0);
                    version = reader.IsDBNull(1) ? 0 : StorageRows.ReadInt64(reader, 1);
                    if (!reader.IsDBNull(2))
                    {
                        entries.Add(StorageRows.ReadMembershipEntry(reader, 2, dialect.ReadTime));
                    }
                }

                return new MembershipSnapshot(entries, version, now);
            },
            cancellationToken);

    public Task<bool> InsertRowAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken)
    {
        ColumnLimits.Entry(entry);
        return CompareAndSwapAsync(
            expectedVersion,
            session => RowCommand(session, insertSql, entry)
                .WithText("SiloName", entry.SiloName)
                .WithText("HostName", entry.HostName)
                .WithTimestamp("StartTime", entry.StartTime),
            cancellationToken);
    }

    public Task<bool> UpdateRowAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken)
    {
        ColumnLimits.Entry(entry);
        return CompareAndSwapAsync(
            expectedVersion,
            session => RowCommand(session, UpdateSql, entry),
            cancellationToken);
    }

    public Task<DateTime> UpdateIAmAliveAsync(SiloAddress address, CancellationToken cancellationToken)
    {
        ColumnLimits.Silo(address);
        return dialect.RunAsync(
            async (session, token) =>
            {
                await using var command = session.Command(iAmAliveSql).WithText("DeploymentId", clusterId).WithSilo(address);
                await using var reader = await command.ExecuteReaderAsync(token);
                return await reader.ReadAsync(token)
                    ? dialect.ReadTime(reader, 0)
                    : throw new SiloDeclaredDeadException($"Silo {address} is Dead or has no row in the membership table of cluster '{clusterId}': its lease cannot be renewed.");
            },
            cancellationToken);
    }

    public Task<int> CleanupDefunctEntriesAsync(DateTime olderThan, CancellationToken cancellationToken) =>
        dialect.RunAsync(
            async (session, token) =>
            {
                await using var command = session.Command(CleanupSql)
                    .WithText("DeploymentId", clusterId)
                    .WithTimestamp("OlderThan", olderThan);
                return await command.ExecuteNonQueryAsync(token);
            },
            cancellationToken);

    public Task DeleteClusterAsync(CancellationToken cancellationToken) =>
        dialect.RunInTransactionAsync(
            async (session, token) =>
            {
                await using var command = session.Command(DeleteClusterSql).WithText("DeploymentId", clusterId);
                await command.ExecuteNonQueryAsync(token);
                await session.CommitAsync(token);
                return true;
            },
            cancellationToken);

    /// <summary>
    /// Bumps the version row from <paramref name="expectedVersion"/>, then runs the <paramref name="write"/> command;
    /// commits only when both changed a row.
    /// </summary>
    private Task<bool> CompareAndSwapAsync(long expectedVersion, Func<SqlSession, DialectCommand> write, CancellationToken cancellationToken) =>
        dialect.RunInTransactionAsync(
            async (session, token) =>
            {
                if (!await BumpVersionAsync(session, expectedVersion, token))
                {
                    return false;
                }

                await using var command = write(session);
                if (await command.ExecuteNonQueryAsync(token) == 0)
                {
                    return false;
                }

                await session.CommitAsync(token);
                return true;
            },
            cancellationToken);

    /// <summary>A command with the row's key and the fields every write sets: status, proxy port and suspect times.</summary>
    private DialectCommand RowCommand(SqlSession session, string sql, MembershipEntry entry) =>
        session.Command(sql)
            .WithText("DeploymentId", clusterId)
            .WithSilo(entry.Address)
            .With("Status", (int)entry.Status)
            .With("ProxyPort", entry.ProxyPort)
            .WithText("SuspectTimes", SuspectTimesFormat.Format(entry.SuspectTimes));

    private async Task<bool> BumpVersionAsync(SqlSession session, long expectedVersion, CancellationToken cancellationToken)
    {
        await using var bump = session.Command(bumpVersionSql)
            .WithText("DeploymentId", clusterId)
            .With("ExpectedVersion", expectedVersion);
        return await bump.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}
