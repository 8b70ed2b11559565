using System.Globalization;
using System.Text.Json;
using Failover.Storage.Membership;
using Failover.Storage;

namespace Failover.Client;

/// <summary><c>client members</c>: the membership table of the cluster, read straight from the database.</summary>
internal static class MembersCommand
{
    public static async Task<int> RunAsync(ClientCommandLine commandLine, TextWriter output, CancellationToken cancellationToken)
    {
        await using var database = await ClientDatabase.OpenAsync(commandLine.Database, cancellationToken);
        var snapshot = await database.CreateMembershipRows(commandLine.ClusterId).ReadAllAsync(cancellationToken);
        var members = MemberView.From(snapshot);
        if (commandLine.Json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(members, MemberViewJsonContext.Default.IReadOnlyListMemberView));
            return 0;
        }

        if (members.Count == 0)
        {
            await output.WriteLineAsync($"No silos in cluster '{commandLine.ClusterId}' ({commandLine.Database}).");
            return 0;
        }

        var table = new TableWriter("SILO", "ADDRESS", "STATUS", "IAMALIVE AGE", "STARTED (UTC)", "SUSPECTED BY");
        foreach (var member in members)
        {
            table.AddRow(
                member.SiloName,
                member.SiloAddress,
                member.Status,
                FormatAge(member.IAmAliveAgeMs),
                member.StartTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                member.SuspectTimes.Count == 0 ? "-" : string.Join(", ", member.SuspectTimes.Select(v => v.Voter).Distinct(StringComparer.Ordinal)));
        }

        table.WriteTo(output);
        return 0;
    }

    private static string FormatAge(long milliseconds) => milliseconds switch
    {
        < 10_000 => $"{milliseconds} ms",
        < 120_000 => $"{milliseconds / 1000} s",
        < 7_200_000 => $"{milliseconds / 60_000} min",
        < 172_800_000 => $"{milliseconds / 3_600_000} h",
        _ => $"{milliseconds / 86_400_000} d",
    };
}
