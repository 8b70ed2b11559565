namespace Failover.Runtime.Activation;

/// <summary>One grain class the silo can activate; added to DI by AddGrain/AddGrainsFromAssembly.</summary>
public sealed record GrainRegistration(Type GrainType);
