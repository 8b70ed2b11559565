namespace Failover.Client;

/// <summary>A command's own arguments: named options (<c>--agent A</c>, <c>-f FILE</c>) and positional values, strictly.</summary>
internal sealed class CommandArguments
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);
    private readonly List<string> _positional = [];

    public CommandArguments(string command, IReadOnlyList<string> arguments, IReadOnlyCollection<string> knownOptions, int positionalCount)
    {
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (argument.StartsWith('-'))
            {
                var equals = argument.IndexOf('=', StringComparison.Ordinal);
                var name = equals < 0 ? argument : argument[..equals];
                if (!knownOptions.Contains(name))
                {
                    throw new UsageException($"{command}: unknown option '{name}'");
                }

                var value = equals >= 0 ? argument[(equals + 1)..]
                    : i + 1 < arguments.Count ? arguments[++i]
                    : throw new UsageException($"{command}: option {name} needs a value");
                if (value.Length == 0)
                {
                    throw new UsageException($"{command}: option {name} needs a non-empty value");
                }

                _options[name] = value;
            }
            else
            {
                _positional.Add(argument);
            }
        }

        if (_positional.Count != positionalCount)
        {
            throw new UsageException(_positional.Count > positionalCount
                ? $"{command}: unexpected argument '{_positional[positionalCount]}'"
                : $"{command}: {positionalCount} argument(s) expected, got {_positional.Count}");
        }
    }

    public IReadOnlyList<string> Positional => _positional;

    public string? Option(string name) => _options.GetValueOrDefault(name);
}
