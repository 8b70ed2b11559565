using System.Data.Common;
using Failover.Storage.Sql;
using Npgsql;

namespace Failover.Storage.PostgreSql;

/// <summary>
/// PostgreSQL for the shared tables. A compare-and-swap is a READ COMMITTED transaction. A guarded write is one
/// autocommit statement whose row locks (ON CONFLICT DO UPDATE, the fence's FOR SHARE) serialize it with competing
/// writers; the read that explains a refusal is a later statement, so it sees the winner's commit.
/// </summary>
internal sealed class PostgreSqlDialect(PostgreSqlConnections connections) : SqlDialect
{
    public override string Now => PostgreSqlCommands.Now;

    public override string Greatest => "GREATEST";

    // A write and a competing claim of the same grain serialize, so once a claim commits no write of the older epoch can.
    public override string FenceLock => "FOR SHARE";

    // A refused claim yields no row: the table then reads the owner in a new statement.
    public override string ClaimedRow(string ownerColumns, string lookupSql) => $"RETURNING {ownerColumns}";

    public override bool BindsArrays => true;

    public override DbParameter Text(string name, string? value) => PostgreSqlCommands.TextParameter(name, value);

    public override DbParameter Value<T>(string name, T value) => new NpgsqlParameter<T>(name, value);

    public override DbParameter Timestamp(string name, DateTime value) => PostgreSqlCommands.TimestampParameter(name, value);

    public override DateTime ReadTime(DbDataReader reader, int ordinal) => PostgreSqlCommands.ReadTime(reader, ordinal);

    protected override bool GuardedWritesNeedTransaction => false;

    protected override Task<T> OnConnectionAsync<T>(Func<DbConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        connections.RunAsync(work, cancellationToken);

    protected override Task<T> InTransactionAsync<T>(
        Func<DbConnection, DbTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        connections.RunInTransactionAsync(work, cancellationToken);
}
