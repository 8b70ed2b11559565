namespace Failover.Runtime.Grains;

/// <summary>Marker for grain interfaces. Every method returns Task, Task&lt;T&gt;, ValueTask or ValueTask&lt;T&gt;.</summary>
public interface IGrain;

/// <summary>A grain identified by a string key (Orleans' name).</summary>
public interface IGrainWithStringKey : IGrain;
