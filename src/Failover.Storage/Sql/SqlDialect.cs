using System.Data.Common;

namespace Failover.Storage.Sql;

/// <summary>
/// What the shared tables (Storage/Tables/) need to know about one database: the SQL fragments that differ, how a
/// value is bound and a time is read, and how work runs on a connection. Every Run method turns a failure to reach
/// or use the database into <see cref="DatabaseUnavailableException"/>.
/// </summary>
internal abstract class SqlDialect
{
    /// <summary>The database clock in UTC at the precision of the timestamp columns, so values compare consistently.</summary>
    public abstract string Now { get; }

    /// <summary>The scalar function returning the larger of its two arguments.</summary>
    public abstract string Greatest { get; }

    /// <summary>The locking clause of the grain-state fence's sub-select of the directory row (may be empty).</summary>
    public abstract string FenceLock { get; }

    /// <summary>
    /// Completes the directory claim upsert so that its reader yields <paramref name="ownerColumns"/>: either of the
    /// row the claim wrote only (a refused claim yields no row), or of the row as the claim left it, via
    /// <paramref name="lookupSql"/>.
    /// </summary>
    public abstract string ClaimedRow(string ownerColumns, string lookupSql);

    /// <summary>A text parameter; null binds NULL.</summary>
    public abstract DbParameter Text(string name, string? value);

    public abstract DbParameter Value<T>(string name, T value);

    /// <summary>A time parameter as stored: UTC, truncated to milliseconds (<see cref="StorageTime"/>).</summary>
    public abstract DbParameter Timestamp(string name, DateTime value);

    /// <summary>Reads a timestamp column as a UTC <see cref="DateTime"/>.</summary>
    public abstract DateTime ReadTime(DbDataReader reader, int ordinal);

    /// <summary>Runs <paramref name="work"/> on an open connection, outside any transaction.</summary>
    public Task<T> RunAsync<T>(Func<SqlSession, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        OnConnectionAsync((connection, token) => work(new SqlSession(connection, null, this), token), cancellationToken);

    /// <summary>Runs a compare-and-swap in a transaction that rolls back unless the work commits it.</summary>
    public Task<T> RunInTransactionAsync<T>(Func<SqlSession, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        InTransactionAsync((connection, transaction, token) => work(new SqlSession(connection, transaction, this), token), cancellationToken);

    /// <summary>
    /// Runs one write guarded by its own WHERE (a fence, the directory's liveness check) and, when the guard refuses
    /// it, the read that explains why. The work commits (<see cref="SqlSession.CommitAsync"/>) after a successful write.
    /// </summary>
    public Task<T> RunGuardedWriteAsync<T>(Func<SqlSession, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        GuardedWritesNeedTransaction ? RunInTransactionAsync(work, cancellationToken) : RunAsync(work, cancellationToken);

    /// <summary>Whether arrays bind as parameters (<c>unnest(@Keys, ...)</c>), so a batch of rows can be one statement.</summary>
    public virtual bool BindsArrays => false;

    /// <summary>False when one statement guards itself (its row locks); true when only a transaction can.</summary>
    protected abstract bool GuardedWritesNeedTransaction { get; }

    protected abstract Task<T> OnConnectionAsync<T>(Func<DbConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="work"/> in the database's compare-and-swap transaction.</summary>
    protected abstract Task<T> InTransactionAsync<T>(
        Func<DbConnection, DbTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken);
}
