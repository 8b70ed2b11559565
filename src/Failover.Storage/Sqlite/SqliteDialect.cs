using System.Data.Common;
using Failover.Storage.Sql;
using Microsoft.Data.Sqlite;

namespace Failover.Storage.Sqlite;

/// <summary>
/// SQLite for the shared tables. Compare-and-swaps and guarded writes alike run under BEGIN IMMEDIATE, i.e. holding
/// the file's write lock, so the guard, the write and — on refusal — the explaining read see one consistent database.
/// </summary>
internal sealed class SqliteDialect(SqliteConnections connections) : SqlDialect
{
    public override string Now => SqliteCommands.Now;

    public override string Greatest => "MAX";

    // The write lock of BEGIN IMMEDIATE already excludes every competing writer.
    public override string FenceLock => string.Empty;

    // The claim is followed by a read of the row in the same transaction, so it always yields the row.
    public override string ClaimedRow(string ownerColumns, string lookupSql) => $"; {lookupSql};";

    public override DbParameter Text(string name, string? value) => SqliteCommands.Parameter(name, value);

    public override DbParameter Value<T>(string name, T value) => SqliteCommands.Parameter(name, value);

    public override DbParameter Timestamp(string name, DateTime value) => SqliteCommands.Parameter(name, SqliteCommands.TimeText(value));

    public override DateTime ReadTime(DbDataReader reader, int ordinal) => SqliteCommands.ReadTime(reader, ordinal);

    protected override bool GuardedWritesNeedTransaction => true;

    protected override Task<T> OnConnectionAsync<T>(Func<DbConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        connections.RunAsync(work, cancellationToken);

    protected override Task<T> InTransactionAsync<T>(
        Func<DbConnection, DbTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        connections.RunInTransactionAsync(work, cancellationToken);
}
