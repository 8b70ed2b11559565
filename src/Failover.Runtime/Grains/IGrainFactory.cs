namespace Failover.Runtime.Grains;

public interface IGrainFactory
{
    /// <summary>A reference to the grain with this key. Cheap: no call is made until a method is invoked.</summary>
    TGrainInterface GetGrain<TGrainInterface>(string key)
        where TGrainInterface : IGrainWithStringKey;
}
