using System.Text.Json;
using System.Text.Json.Serialization;
using Failover.Hosting;

namespace Failover.Silo;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(SiloHealthReport))]
internal sealed partial class SiloJsonContext : JsonSerializerContext;
