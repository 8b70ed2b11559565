using System.Text.Json;
using System.Text.Json.Serialization;

namespace Failover.Storage.Membership;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(IReadOnlyList<MemberView>))]
public sealed partial class MemberViewJsonContext : JsonSerializerContext;
