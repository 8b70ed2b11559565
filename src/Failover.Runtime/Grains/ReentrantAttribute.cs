namespace Failover.Runtime.Grains;

/// <summary>
/// Lets an activation interleave requests at await points. Turns still never run in parallel: they share
/// the activation's single-threaded scheduler.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class ReentrantAttribute : Attribute;
