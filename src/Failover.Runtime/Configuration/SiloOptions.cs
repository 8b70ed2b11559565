using System.ComponentModel.DataAnnotations;
using Failover.Runtime.Storage;

namespace Failover.Runtime.Configuration;

/// <summary>
/// Who the silo is and where its cluster lives. Bound from the configuration root, so the keys are the same
/// as the command line's (<c>--node</c> = <c>Node</c>).
/// </summary>
public sealed class SiloOptions : IValidatableObject
{
    /// <summary>The node name; a silo learns its roles from the topology by it.</summary>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^[A-Za-z0-9][A-Za-z0-9._-]{0,149}$", ErrorMessage = "Node must be 1-150 letters, digits, '.', '_' or '-', starting with a letter or digit.")]
    public string Node { get; set; } = "";

    /// <summary>The address other silos and clients reach this silo at.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Host { get; set; } = "127.0.0.1";

    [Range(1, 65535, ErrorMessage = "Port must be between 1 and 65535.")]
    public int Port { get; set; } = 11111;

    /// <summary><c>sqlite:PATH</c> or <c>postgres:CONNECTION_STRING</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Database { get; set; } = DatabaseLocation.Default;

    /// <summary>Orleans' DeploymentId: silos with the same ClusterId form one cluster.</summary>
    [Required(AllowEmptyStrings = false)]
    [StringLength(150)]
    public string ClusterId { get; set; } = "default";

    /// <summary>Scope of durable grain state and reminders; survives redeployments under a new ClusterId.</summary>
    [Required(AllowEmptyStrings = false)]
    [StringLength(150)]
    public string ServiceId { get; set; } = "default";

    /// <summary>
    /// Where the silo keeps files of its own (e.g. its key pair). When not set: the directory of the SQLite database
    /// for <c>sqlite:PATH</c>, else <c>./data</c>. See <see cref="ResolveDataDirectory"/>.
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>The data directory as a full path (<see cref="DataDirectory"/>, else derived from <see cref="Database"/>).</summary>
    public string ResolveDataDirectory()
    {
        if (!string.IsNullOrWhiteSpace(DataDirectory))
        {
            return Path.GetFullPath(DataDirectory);
        }

        var location = DatabaseLocation.Parse(Database);
        var directory = location.Kind == DatabaseKind.Sqlite ? Path.GetDirectoryName(Path.GetFullPath(location.ConnectionString)) : null;
        return directory ?? Path.GetFullPath("./data");
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DataDirectory is { } dataDirectory && (dataDirectory.Trim().Length == 0 || dataDirectory.IndexOfAny(Path.GetInvalidPathChars()) >= 0))
        {
            yield return new ValidationResult("DataDirectory must be a directory path.", [nameof(DataDirectory)]);
        }

        string? error = null;
        try
        {
            DatabaseLocation.Parse(Database);
        }
        catch (FormatException exception)
        {
            error = exception.Message;
        }

        if (error is not null)
        {
            yield return new ValidationResult(error, [nameof(Database)]);
        }
    }
}
