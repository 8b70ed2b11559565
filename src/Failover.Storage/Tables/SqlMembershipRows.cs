using Failover.Storage.Membership;
using Failover.Storage.Sql;
using Orleans.Runtime;

namespace Failover.Storage.Tables;

/// <summary>
/// Reads Orleans' membership table (written by Orleans' own ADO.NET clustering provider) and renews this silo's node
/// lease on it: IAmAliveTime set to the database clock, refused once the row is Dead.
/// </summary>
internal sealed class SqlMembershipRows(SqlDialect dialect, string clusterId) : IMembershipRows
{
    private const string RowKey = "DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation";

    private const string DeleteClusterSql = """
        DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
        DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;
        """;

    // One statement, so the version and the rows come from one read snapshot.
    private readonly string readAllSql = $"""
        SELECT n.DbNow, v.Version, {StorageRows.MembershipColumns}
        FROM (SELECT {dialect.Now} AS DbNow) n
        LEFT JOIN OrleansMembershipVersionTable v ON v.DeploymentId = @DeploymentId
        LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
        ORDER BY m.Address, m.Port, m.Generation
        """;

    private readonly string iAmAliveSql =
        $"UPDATE OrleansMembershipTable SET IAmAliveTime = {dialect.Now} WHERE {RowKey} AND Status <> 6 RETURNING IAmAliveTime";

    public Task<MembershipRows> ReadAllAsync(CancellationToken cancellationToken) =>
        dialect.RunAsync(
            async (session, token) =>
            {
                await using var command = session.Command(readAllSql).WithText("DeploymentId", clusterId);
                await using var reader = await command.ExecuteReaderAsync(token);
                var entries = new List<MembershipRow>();
                var now = DateTime.MinValue;
                long version = 0;
                while (await reader.ReadAsync(token))
                {
                    now = dialect.ReadTime(reader, 0);
                    version = reader.IsDBNull(1) ? 0 : StorageRows.ReadInt64(reader, 1);
                    if (!reader.IsDBNull(2))
                    {
                        entries.Add(StorageRows.ReadMembershipRow(reader, 2, dialect.ReadTime));
                    }
                }

                return new MembershipRows(entries, version, now);
            },
            cancellationToken);

    public Task<DateTime?> RenewLeaseAsync(SiloAddress address, CancellationToken cancellationToken)
    {
        ColumnLimits.Silo(address);
        return dialect.RunAsync(
            async (session, token) =>
            {
                await using var command = session.Command(iAmAliveSql).WithText("DeploymentId", clusterId).WithSilo(address);
                await using var reader = await command.ExecuteReaderAsync(token);
                return await reader.ReadAsync(token)
                    ? dialect.ReadTime(reader, 0)
                    : (DateTime?)null;
            },
            cancellationToken);
    }

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
}
