namespace Failover.Runtime.Grains;

/// <summary>Names the grain type in grain ids (the default is the class name). Keep it stable: it is persisted.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GrainTypeAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
