namespace Failover.Benchmarks.Peers;

/// <summary>
/// What a peer's node process is started with:
/// <c>peer-node SYSTEM --node NAME --database CONNECTION-STRING --runs DIRECTORY --configuration defaults|tuned</c>.
/// </summary>
internal sealed record PeerNodeArguments(string System, string Node, string ConnectionString, string RunsDirectory, string Configuration)
{
    public const string Tuned = "tuned";
    public const string Defaults = "defaults";

    public bool IsTuned => Configuration == Tuned;

    public IReadOnlyList<string> ToArguments() =>
        [PeerNodeProgram.Verb, System, "--node", Node, "--database", ConnectionString, "--runs", RunsDirectory, "--configuration", Configuration];

    public static PeerNodeArguments Parse(string[] args)
    {
        if (args.Length == 0)
        {
            throw new ArgumentException("peer-node needs a system name");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"option {args[i]} needs a value");
            }

            values[args[i]] = args[i + 1];
        }

        string Required(string option) =>
            values.TryGetValue(option, out var value) ? value : throw new ArgumentException($"peer-node needs {option}");

        var configuration = Required("--configuration");
        return configuration is Defaults or Tuned
            ? new PeerNodeArguments(args[0], Required("--node"), Required("--database"), Required("--runs"), configuration)
            : throw new ArgumentException($"--configuration must be {Defaults} or {Tuned} (got '{configuration}')");
    }
}
