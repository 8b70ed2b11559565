using System.Text.Json;
using Failover.Hosting.Storage;

namespace Failover.Hosting.Tests;

/// <summary>Grain state as System.Text.Json: camelCase names and enum names, so it reads well in SQL.</summary>
public sealed class JsonGrainStorageSerializerTests
{
    private readonly JsonGrainStorageSerializer _serializer = new();

    public enum Role
    {
        Standby,
        Active,
    }

    [Fact]
    public void State_round_trips_with_camel_case_names_and_enum_names()
    {
        var state = new DirectorState
        {
            ActiveInstance = "primary",
            Role = Role.Active,
            Epoch = 42,
            Instances = new() { ["primary"] = "node-a", ["secondary"] = "node-b" },
            History = [new Step("appointed", new DateTime(2026, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc))],
            Confirmed = null,
        };

        var data = _serializer.Serialize(state);
        var back = _serializer.Deserialize<DirectorState>(data);

        var json = JsonDocument.Parse(data.ToString()).RootElement;
        Assert.Equal("primary", json.GetProperty("activeInstance").GetString());
        Assert.Equal("Active", json.GetProperty("role").GetString());
        Assert.Equal(42, json.GetProperty("epoch").GetInt64());
        Assert.Equal("node-b", json.GetProperty("instances").GetProperty("secondary").GetString());
        Assert.Equal("appointed", json.GetProperty("history")[0].GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("confirmed").ValueKind);

        Assert.Equal((state.ActiveInstance, state.Role, state.Epoch, state.Confirmed), (back.ActiveInstance, back.Role, back.Epoch, back.Confirmed));
        Assert.Equal(state.Instances, back.Instances);
        Assert.Equal(state.History, back.History);
        Assert.Equal(DateTimeKind.Utc, back.History[0].At.Kind);
    }

    [Fact]
    public void Enums_are_read_by_name_and_by_number()
    {
        Assert.Equal(Role.Active, _serializer.Deserialize<DirectorState>(BinaryData.FromString("""{"role":"Active"}""")).Role);
        Assert.Equal(Role.Active, _serializer.Deserialize<DirectorState>(BinaryData.FromString("""{"role":1}""")).Role);
        Assert.Equal(Role.Standby, _serializer.Deserialize<DirectorState>(BinaryData.FromString("{}")).Role);
    }

    [Fact]
    public void Stored_json_null_or_garbage_is_an_error_not_a_default_state()
    {
        var nullState = Assert.Throws<JsonException>(() => _serializer.Deserialize<DirectorState>(BinaryData.FromString("null")));
        Assert.Contains("DirectorState", nullState.Message, StringComparison.Ordinal);
        Assert.ThrowsAny<JsonException>(() => _serializer.Deserialize<DirectorState>(BinaryData.FromString("{\"epoch\":")));
        Assert.ThrowsAny<JsonException>(() => _serializer.Deserialize<DirectorState>(BinaryData.FromString("""{"role":"Leader"}""")));
    }

    [Fact]
    public void Plain_values_round_trip_too()
    {
        Assert.Equal(7, _serializer.Deserialize<int>(_serializer.Serialize(7)));
        Assert.Equal(["a", "b"], _serializer.Deserialize<List<string>>(_serializer.Serialize(new List<string> { "a", "b" })));
    }

    public sealed record Step(string Kind, DateTime At);

    public sealed class DirectorState
    {
        public string ActiveInstance { get; set; } = "";

        public Role Role { get; set; }

        public long Epoch { get; set; }

        public Dictionary<string, string> Instances { get; set; } = [];

        public List<Step> History { get; set; } = [];

        public string? Confirmed { get; set; }
    }
}
