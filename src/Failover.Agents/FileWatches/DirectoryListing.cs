using System.IO.Enumeration;

namespace Failover.Agents.FileWatches;

/// <summary>The files of a watched directory, by name: everything but directories, hidden and system files included.</summary>
internal static class DirectoryListing
{
    private static readonly EnumerationOptions s_options = new()
    {
        AttributesToSkip = 0,
        RecurseSubdirectories = false,
        // Otherwise an unreadable directory lists as empty, and its files' ended orders would be forgotten.
        IgnoreInaccessible = false,
    };

    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="IOException">Or <see cref="UnauthorizedAccessException"/>: it cannot be read.</exception>
    public static Dictionary<string, FileStamp> Read(string directory)
    {
        var entries = new FileSystemEnumerable<(string Name, FileStamp Stamp)>(
            directory,
            (ref FileSystemEntry entry) => (entry.FileName.ToString(), new FileStamp(entry.Length, entry.LastWriteTimeUtc)),
            s_options)
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory,
        };

        var files = new Dictionary<string, FileStamp>(StringComparer.Ordinal);
        foreach (var (name, stamp) in entries)
        {
            files[name] = stamp;
        }

        return files;
    }
}
