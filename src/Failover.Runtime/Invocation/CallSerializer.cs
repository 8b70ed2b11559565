using System.Text.Json;

namespace Failover.Runtime.Invocation;

/// <summary>Arguments and results of remote grain calls, as JSON. User types go through reflection-based System.Text.Json.</summary>
internal sealed class CallSerializer(JsonSerializerOptions options)
{
    public JsonSerializerOptions Options { get; } = options;

    public JsonElement SerializeArguments(GrainMethod method, object?[] arguments)
    {
        var parameters = method.Method.GetParameters();
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            for (var i = 0; i < parameters.Length; i++)
            {
                JsonSerializer.Serialize(writer, arguments[i], parameters[i].ParameterType, Options);
            }

            writer.WriteEndArray();
        }

        return JsonElement.Parse(buffer.WrittenSpan);
    }

    public object?[] DeserializeArguments(GrainMethod method, JsonElement? body)
    {
        var parameters = method.Method.GetParameters();
        if (body is not { ValueKind: JsonValueKind.Array } array || array.GetArrayLength() != parameters.Length)
        {
            throw new JsonException($"{method.DisplayName} takes {parameters.Length} arguments; the request does not carry them as a JSON array of that length.");
        }

        var arguments = new object?[parameters.Length];
        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            arguments[index] = element.Deserialize(parameters[index].ParameterType, Options);
            index++;
        }

        return arguments;
    }

    public JsonElement SerializeResult<T>(T value) => JsonSerializer.SerializeToElement(value, Options);

    public T DeserializeResult<T>(JsonElement? body) =>
        body is { } element ? element.Deserialize<T>(Options)! : default!;
}
