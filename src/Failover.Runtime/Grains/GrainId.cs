namespace Failover.Runtime.Grains;

/// <summary>Identity of a grain: its type name and its string key. Rendered as <c>type/key</c>.</summary>
public readonly record struct GrainId(string Type, string Key)
{
    public override string ToString() => $"{Type}/{Key}";

    public static GrainId Parse(string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == value.Length - 1)
        {
            throw new FormatException($"'{value}' is not a grain id of the form type/key.");
        }

        return new GrainId(value[..slash], value[(slash + 1)..]);
    }

    /// <summary>
    /// A stable 32-bit hash used to place reminders on the consistent-hash ring. It must never change
    /// between versions: it is persisted in OrleansRemindersTable.GrainHash.
    /// </summary>
    public uint GetUniformHashCode() => StableHash.Compute(ToString());
}
