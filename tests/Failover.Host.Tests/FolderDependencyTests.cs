using System.Text.RegularExpressions;

namespace Failover.Host.Tests;

/// <summary>
/// The folders of each product project name its concepts and depend on each other one way only (DESIGN §3): no folder
/// reaches, through others, back to itself. Read from the sources' <c>using</c> directives and qualified names.
/// </summary>
public sealed partial class FolderDependencyTests
{
    [Theory]
    [InlineData("Failover.Agents")]
    [InlineData("Failover.Hosting")]
    [InlineData("Failover.Storage")]
    public void The_folders_of_a_project_have_no_dependency_cycle(string project)
    {
        var graph = FolderGraph(Path.Combine(BuildOutput.RepositoryRoot(), "src", project), project);
        Assert.True(graph.Count >= 3, $"{project} has folders with dependencies to check: {string.Join(", ", graph.Keys)}");

        var cycle = FindCycle(graph);

        Assert.True(cycle is null, $"{project}: folders depend on each other in a cycle: {string.Join(" -> ", cycle ?? [])}");
    }

    [Fact]
    public void A_cycle_is_found_and_named()
    {
        var graph = new Dictionary<string, IReadOnlySet<string>>
        {
            ["Topology"] = new HashSet<string>(),
            ["Orders"] = new HashSet<string> { "Topology", "Dispatching" },
            ["Dispatching"] = new HashSet<string> { "Topology", "Orders" },
        };

        Assert.Equal(["Dispatching", "Orders", "Dispatching"], FindCycle(graph));
    }

    /// <summary>Each top folder of the project, with the other top folders its files name.</summary>
    private static Dictionary<string, IReadOnlySet<string>> FolderGraph(string projectDirectory, string project)
    {
        var reference = new Regex($@"\b{Regex.Escape(project)}\.(?<folder>[A-Z][A-Za-z]+)\b");
        var folders = Directory.GetDirectories(projectDirectory)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(name => name is not "bin" and not "obj")
            .ToList();
        return folders.ToDictionary(
            folder => folder,
            folder => (IReadOnlySet<string>)Directory.EnumerateFiles(Path.Combine(projectDirectory, folder), "*.cs", SearchOption.AllDirectories)
                .SelectMany(file => reference.Matches(File.ReadAllText(file)).Select(match => match.Groups["folder"].Value))
                .Where(target => target != folder && folders.Contains(target))
                .ToHashSet(StringComparer.Ordinal),
            StringComparer.Ordinal);
    }

    /// <summary>A path that returns to where it started (first and last the same), or null when the graph has none.</summary>
    private static IReadOnlyList<string>? FindCycle(IReadOnlyDictionary<string, IReadOnlySet<string>> graph)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();
        foreach (var start in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (Visit(start) is { } cycle)
            {
                return cycle;
            }
        }

        return null;

        IReadOnlyList<string>? Visit(string folder)
        {
            var onPath = path.IndexOf(folder);
            if (onPath >= 0)
            {
                return [.. path.Skip(onPath), folder];
            }

            if (!done.Add(folder))
            {
                return null;
            }

            path.Add(folder);
            foreach (var next in graph[folder].Order(StringComparer.Ordinal))
            {
                if (Visit(next) is { } cycle)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            return null;
        }
    }
}
