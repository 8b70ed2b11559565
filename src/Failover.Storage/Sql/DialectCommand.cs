using System.Data.Common;
using Failover.Storage.Membership;
using Orleans.Runtime;

namespace Failover.Storage.Sql;

/// <summary>A command whose parameters are bound the way its database stores them.</summary>
internal sealed class DialectCommand(DbCommand command, SqlDialect dialect) : IAsyncDisposable
{
    public DialectCommand WithText(string name, string? value)
    {
        command.Parameters.Add(dialect.Text(name, value));
        return this;
    }

    public DialectCommand With<T>(string name, T value)
    {
        command.Parameters.Add(dialect.Value(name, value));
        return this;
    }

    public DialectCommand WithTimestamp(string name, DateTime value)
    {
        command.Parameters.Add(dialect.Timestamp(name, value));
        return this;
    }

    /// <summary>Adds @Address, @Port and @Generation.</summary>
    public DialectCommand WithSilo(SiloAddress address) =>
        WithText("Address", address.Endpoint.Address.ToString()).With("Port", address.Endpoint.Port).With("Generation", address.Generation);

    /// <summary>Binds ReplacingAddress, ReplacingPort, ReplacingGeneration and ReplacingActivationId (NULLs when none).</summary>
    public DialectCommand WithReplaced(GrainAddress? replacing) =>
        WithText("ReplacingAddress", replacing?.SiloAddress?.Endpoint.Address.ToString())
            .With("ReplacingPort", replacing?.SiloAddress?.Endpoint.Port)
            .With("ReplacingGeneration", replacing?.SiloAddress?.Generation)
            .WithText("ReplacingActivationId", replacing?.ActivationId.ToParsableString());

    public Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken) => command.ExecuteNonQueryAsync(cancellationToken);

    public Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken) => command.ExecuteScalarAsync(cancellationToken);

    public Task<DbDataReader> ExecuteReaderAsync(CancellationToken cancellationToken) => command.ExecuteReaderAsync(cancellationToken);

    public ValueTask DisposeAsync() => command.DisposeAsync();
}
