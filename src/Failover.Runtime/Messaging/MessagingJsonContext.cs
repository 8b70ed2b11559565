using System.Text.Json.Serialization;

namespace Failover.Runtime.Messaging;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault, UseStringEnumConverter = false)]
[JsonSerializable(typeof(Message))]
[JsonSerializable(typeof(Handshake))]
internal sealed partial class MessagingJsonContext : JsonSerializerContext;
