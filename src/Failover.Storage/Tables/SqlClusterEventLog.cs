using Failover.Storage.Events;
using Failover.Storage.Sql;

namespace Failover.Storage.Tables;

/// <summary>The FailoverEvents table of one service.</summary>
internal sealed class SqlClusterEventLog(SqlDialect dialect, string serviceId) : IClusterEventLog
{
    private const int KindLength = 64;

    private readonly string appendSql = $"""
        INSERT INTO FailoverEvents (ServiceId, Time, Source, Kind, Detail)
        VALUES (@ServiceId, {dialect.Now}, @Source, @Kind, @Detail)
        """;

    public Task AppendAsync(string source, string kind, string detail, CancellationToken cancellationToken)
    {
        ColumnLimits.Check(source, ColumnLimits.Name, "event source");
        ColumnLimits.Check(kind, KindLength, "event kind");
        ArgumentNullException.ThrowIfNull(detail);
        if (detail.Length > IClusterEventLog.MaxDetailLength)
        {
            detail = detail[..(IClusterEventLog.MaxDetailLength - 1)] + "…";
        }

        return dialect.RunAsync(
            async (session, token) =>
            {
                await using var command = session.Command(appendSql)
                    .WithText("ServiceId", serviceId)
                    .WithText("Source", source)
                    .WithText("Kind", kind)
                    .WithText("Detail", detail);
                return await command.ExecuteNonQueryAsync(token);
            },
            cancellationToken);
    }

    public Task<IReadOnlyList<ClusterEvent>> ReadAsync(string? source, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var filter = source is null ? "" : " AND Source = @Source";
        var sql = $"""
            SELECT Id, Time, Source, Kind, Detail FROM
            (SELECT Id, Time, Source, Kind, Detail FROM FailoverEvents WHERE ServiceId = @ServiceId{filter} ORDER BY Id DESC LIMIT @Limit) newest
            ORDER BY Id
            """;
        return dialect.RunAsync<IReadOnlyList<ClusterEvent>>(
            async (session, token) =>
            {
                await using var command = session.Command(sql).WithText("ServiceId", serviceId).With("Limit", limit);
                if (source is not null)
                {
                    command.WithText("Source", source);
                }

                await using var reader = await command.ExecuteReaderAsync(token);
                var events = new List<ClusterEvent>();
                while (await reader.ReadAsync(token))
                {
                    events.Add(new ClusterEvent(reader.GetInt64(0), dialect.ReadTime(reader, 1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
                }

                return events;
            },
            cancellationToken);
    }
}
