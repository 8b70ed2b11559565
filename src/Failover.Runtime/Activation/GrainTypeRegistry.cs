using Failover.Runtime.Grains;

namespace Failover.Runtime.Activation;

/// <summary>Maps grain interfaces and grain type names to the registered grain classes.</summary>
internal sealed class GrainTypeRegistry
{
    private readonly Dictionary<Type, GrainClass> _byInterface = [];
    private readonly HashSet<Type> _ambiguous = [];
    private readonly Dictionary<string, GrainClass> _byTypeName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Type> _interfacesByName = new(StringComparer.Ordinal);

    public GrainTypeRegistry(IEnumerable<GrainRegistration> registrations)
    {
        foreach (var registration in registrations.DistinctBy(r => r.GrainType))
        {
            var grainClass = new GrainClass(registration.GrainType);
            if (!_byTypeName.TryAdd(grainClass.TypeName, grainClass))
            {
                throw new InvalidOperationException(
                    $"Grain classes {_byTypeName[grainClass.TypeName].Type.FullName} and {grainClass.Type.FullName} share the grain type name '{grainClass.TypeName}'.");
            }

            foreach (var grainInterface in grainClass.Interfaces)
            {
                _interfacesByName[grainInterface.FullName!] = grainInterface;
                if (!_byInterface.TryAdd(grainInterface, grainClass))
                {
                    _ambiguous.Add(grainInterface);
                }
            }
        }
    }

    public IEnumerable<GrainClass> GrainClasses => _byTypeName.Values;

    /// <summary>Resolves an interface by its full name (clients address grains by interface).</summary>
    public GrainClass ForInterfaceName(string interfaceName)
    {
        var grainInterface = _interfacesByName.GetValueOrDefault(interfaceName)
            ?? throw new GrainActivationException($"No grain class implementing {interfaceName} is registered on this silo.");
        return ForInterface(grainInterface);
    }

    public GrainClass ForInterface(Type grainInterface)
    {
        if (_ambiguous.Contains(grainInterface))
        {
            throw new ArgumentException($"More than one grain class implements {grainInterface.Name}.", nameof(grainInterface));
        }

        return _byInterface.TryGetValue(grainInterface, out var grainClass)
            ? grainClass
            : throw new ArgumentException($"No grain class implementing {grainInterface.Name} is registered.", nameof(grainInterface));
    }

    public GrainClass ForGrainId(GrainId grainId) =>
        _byTypeName.TryGetValue(grainId.Type, out var grainClass)
            ? grainClass
            : throw new GrainActivationException($"No grain class is registered for grain type '{grainId.Type}' ({grainId}).");
}
