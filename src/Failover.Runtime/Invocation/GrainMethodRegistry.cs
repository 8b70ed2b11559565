using System.Reflection;
using Failover.Runtime.Activation;
using Failover.Runtime.Grains;

namespace Failover.Runtime.Invocation;

/// <summary>Every method a silo can be asked to run, by wire key: the methods of its grain classes' interfaces.</summary>
internal sealed class GrainMethodRegistry
{
    private readonly Dictionary<string, GrainMethod> _byKey = new(StringComparer.Ordinal);

    public GrainMethodRegistry(GrainTypeRegistry registry)
    {
        foreach (var grainInterface in registry.GrainClasses.SelectMany(c => c.Interfaces).Append(typeof(IRemindable)).Distinct())
        {
            foreach (var method in grainInterface.GetInterfaces().Append(grainInterface).SelectMany(i => i.GetMethods(BindingFlags.Public | BindingFlags.Instance)))
            {
                var grainMethod = GrainMethod.For(method);
                _byKey.TryAdd(grainMethod.Key, grainMethod);
            }
        }
    }

    public GrainMethod? Find(string key) => _byKey.GetValueOrDefault(key);
}
