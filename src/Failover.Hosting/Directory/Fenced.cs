namespace Failover.Hosting.Directory;

/// <summary>
/// The names witness grains use to be fenced: <c>[GrainDirectory(Fenced.Directory)]</c> on the class and
/// <c>[PersistentState(name, Fenced.Storage)]</c> on its state.
/// </summary>
public static class Fenced
{
    public const string Directory = "fenced";

    public const string Storage = "fenced";
}
