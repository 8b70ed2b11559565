namespace Failover.Runtime.Persistence;

/// <summary>Marks a grain constructor parameter of type IPersistentState&lt;T&gt; and names the state.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class PersistentStateAttribute(string stateName) : Attribute
{
    public string StateName { get; } = stateName;
}
