using Npgsql;

namespace Failover.Storage.PostgreSql;

/// <summary>Runs work on a pooled connection and turns connection failures into <see cref="DatabaseUnavailableException"/>.</summary>
internal sealed class PostgreSqlConnections(DatabaseLocation location, NpgsqlDataSource dataSource)
{
    public DatabaseLocation Location => location;

    public async Task<T> RunAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            return await work(connection, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && PostgreSqlErrors.IsUnavailable(e))
        {
            throw new DatabaseUnavailableException($"cannot reach database {location}: {PostgreSqlErrors.Describe(e)}", e);
        }
    }

    /// <summary>Runs <paramref name="work"/> in a READ COMMITTED transaction that rolls back unless the work commits it.</summary>
    public Task<T> RunInTransactionAsync<T>(
        Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        RunAsync(
            async (connection, token) =>
            {
                await using var transaction = await connection.BeginTransactionAsync(token);
                return await work(connection, transaction, token);
            },
            cancellationToken);
}
