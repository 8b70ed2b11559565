using System.Net;
using System.Text.Json;
using Failover.Runtime.Configuration;
using Failover.Runtime.Storage;

namespace Failover.Runtime.Client;

public sealed class ClusterClientOptions
{
    public string ClusterId { get; set; } = "default";

    /// <summary>Where to find gateways: Active silos with a proxy port in the membership table. Ignored when <see cref="Gateways"/> is set.</summary>
    public DatabaseLocation? Database { get; set; }

    /// <summary>A fixed list of gateways (silo endpoints), tried in random order.</summary>
    public IReadOnlyList<IPEndPoint> Gateways { get; set; } = [];

    /// <summary>Deadline of every call.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public MessagingOptions Messaging { get; set; } = new();

    /// <summary>How arguments and results are serialized; must match the silos' (System.Text.Json web defaults).</summary>
    public JsonSerializerOptions SerializerOptions { get; set; } = new(JsonSerializerDefaults.Web);

    public string ClientId { get; set; } = $"client-{Environment.ProcessId}-{Guid.NewGuid():N}";
}
