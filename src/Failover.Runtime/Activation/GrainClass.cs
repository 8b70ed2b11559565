using System.Reflection;
using Failover.Runtime.Grains;
using Failover.Runtime.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace Failover.Runtime.Activation;

/// <summary>What the runtime knows about one grain implementation class, computed once.</summary>
internal sealed class GrainClass
{
    private readonly ConstructorInfo _constructor;
    private readonly ParameterInfo[] _parameters;

    public GrainClass(Type type)
    {
        if (!typeof(Grain).IsAssignableFrom(type) || type.IsAbstract)
        {
            throw new ArgumentException($"{type.FullName} is not a concrete grain class (it must derive from Grain).", nameof(type));
        }

        Type = type;
        TypeName = type.GetCustomAttribute<GrainTypeAttribute>()?.Name ?? type.Name;
        IsReentrant = type.GetCustomAttribute<ReentrantAttribute>() is not null;
        IsRemindable = typeof(IRemindable).IsAssignableFrom(type);
        Interfaces = [.. type.GetInterfaces().Where(i => typeof(IGrain).IsAssignableFrom(i)
            && i != typeof(IGrain) && i != typeof(IGrainWithStringKey) && i != typeof(IRemindable))];
        _constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
            ?? throw new ArgumentException($"Grain class {type.FullName} has no public constructor.", nameof(type));
        _parameters = _constructor.GetParameters();
        foreach (var parameter in _parameters)
        {
            if (IsPersistentState(parameter.ParameterType) && parameter.GetCustomAttribute<PersistentStateAttribute>() is null)
            {
                throw new ArgumentException(
                    $"Grain class {type.Name}: constructor parameter '{parameter.Name}' needs [PersistentState(\"name\")].", nameof(type));
            }
        }
    }

    public Type Type { get; }

    /// <summary>The type part of this grain's ids.</summary>
    public string TypeName { get; }

    public bool IsReentrant { get; }

    public bool IsRemindable { get; }

    public IReadOnlyList<Type> Interfaces { get; }

    /// <summary>Creates the grain: services from DI, IPersistentState parameters bound to the activation.</summary>
    public (object Instance, List<IPersistentStateBinding> States) CreateInstance(IServiceProvider services, GrainActivation activation)
    {
        var states = new List<IPersistentStateBinding>();
        var arguments = new object?[_parameters.Length];
        for (var i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i];
            var stateName = parameter.GetCustomAttribute<PersistentStateAttribute>()?.StateName;
            if (stateName is not null)
            {
                var stateType = parameter.ParameterType.GetGenericArguments()[0];
                var binding = (IPersistentStateBinding)Activator.CreateInstance(
                    typeof(PersistentState<>).MakeGenericType(stateType), activation, stateName)!;
                states.Add(binding);
                arguments[i] = binding;
            }
            else
            {
                arguments[i] = parameter.HasDefaultValue
                    ? services.GetService(parameter.ParameterType) ?? parameter.DefaultValue
                    : services.GetRequiredService(parameter.ParameterType);
            }
        }

        try
        {
            return (_constructor.Invoke(arguments), states);
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(exception.InnerException);
            throw;
        }
    }

    private static bool IsPersistentState(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IPersistentState<>);
}
