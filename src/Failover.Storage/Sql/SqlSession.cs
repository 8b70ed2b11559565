using System.Data.Common;

namespace Failover.Storage.Sql;

/// <summary>An open connection, the transaction the work runs in (if any), and commands bound by the dialect.</summary>
internal sealed class SqlSession(DbConnection connection, DbTransaction? transaction, SqlDialect dialect)
{
    public DialectCommand Command(string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return new DialectCommand(command, dialect);
    }

    /// <summary>Statements to send together, in this session's transaction.</summary>
    public DialectBatch Batch() => new(connection, transaction, dialect);

    /// <summary>Commits the transaction; without one, each statement has committed itself and there is nothing to do.</summary>
    public Task CommitAsync(CancellationToken cancellationToken) =>
        transaction is null ? Task.CompletedTask : transaction.CommitAsync(cancellationToken);
}
