using System.Data.Common;

namespace Failover.Storage.Sql;

/// <summary>
/// Statements sent together, each returning one result set (e.g. via RETURNING): one prepared <see cref="DbBatch"/>,
/// i.e. one round trip, where the provider has batches (Npgsql); otherwise one command after another (SQLite, in
/// process, where a round trip costs nothing). Npgsql keeps a prepared statement on its connection for good, so the
/// statements' texts must come from a small fixed set (values go in parameters).
/// </summary>
internal sealed class DialectBatch(DbConnection connection, DbTransaction? transaction, SqlDialect dialect)
{
    private readonly List<(string Sql, List<DbParameter> Parameters)> statements = [];

    public int Count => statements.Count;

    /// <summary>Adds a statement; bind its parameters on the returned binder.</summary>
    public DialectParameters Add(string sql)
    {
        var parameters = new List<DbParameter>();
        statements.Add((sql, parameters));
        return new DialectParameters(parameters, dialect);
    }

    /// <summary>Runs the statements in order; <paramref name="read"/> gets each one's index and its result set.</summary>
    public async Task ExecuteAsync(Func<int, DbDataReader, CancellationToken, Task> read, CancellationToken cancellationToken)
    {
        if (statements.Count == 0)
        {
            return;
        }

        if (connection.CanCreateBatch)
        {
            await using var batch = connection.CreateBatch();
            batch.Transaction = transaction;
            foreach (var (sql, parameters) in statements)
            {
                var command = batch.CreateBatchCommand();
                command.CommandText = sql;
                foreach (var parameter in parameters)
                {
                    command.Parameters.Add(parameter);
                }

                batch.BatchCommands.Add(command);
            }

            // Planning each of a thousand statements cost more than running it; a statement already prepared on
            // this connection, or earlier in the batch, is not prepared again.
            await batch.PrepareAsync(cancellationToken);
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            for (var i = 0; i < statements.Count; i++)
            {
                if (i > 0 && !await reader.NextResultAsync(cancellationToken))
                {
                    throw new InvalidOperationException($"Statement {i} of the batch returned no result set.");
                }

                await read(i, reader, cancellationToken);
            }

            return;
        }

        for (var i = 0; i < statements.Count; i++)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = statements[i].Sql;
            command.Transaction = transaction;
            command.Parameters.AddRange(statements[i].Parameters.ToArray());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await read(i, reader, cancellationToken);
        }
    }
}

/// <summary>Binds the parameters of one statement of a <see cref="DialectBatch"/> the way its database stores them.</summary>
internal sealed class DialectParameters(List<DbParameter> parameters, SqlDialect dialect)
{
    public DialectParameters WithText(string name, string? value)
    {
        parameters.Add(dialect.Text(name, value));
        return this;
    }

    public DialectParameters With<T>(string name, T value)
    {
        parameters.Add(dialect.Value(name, value));
        return this;
    }
}
