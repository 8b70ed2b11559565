using System.ComponentModel.DataAnnotations;
using System.Net;
using Failover.Storage;
using Microsoft.Extensions.Options;

namespace Failover.Hosting;

/// <summary>
/// Who the silo is and where its cluster lives. Bound from the configuration root, so the keys are the same as the
/// command line's (<c>--node</c> = <c>Node</c>, <c>--gateway-port</c> = <c>GatewayPort</c>).
/// </summary>
public sealed class FailoverSiloOptions : IValidatableObject
{
    /// <summary>The node name, Orleans' silo name; a silo learns its roles from the topology by it.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "--node is required: the name of this node")]
    [RegularExpression("^[A-Za-z0-9][A-Za-z0-9._-]{0,149}$", ErrorMessage = "--node must be 1-150 letters, digits, '.', '_' or '-', starting with a letter or digit")]
    public string Node { get; set; } = "";

    /// <summary>The IP address other silos and clients reach this silo at (Orleans advertises an address, not a name).</summary>
    public string Host { get; set; } = "127.0.0.1";

    [Range(1, 65535, ErrorMessage = "--port must be between 1 and 65535")]
    public int Port { get; set; } = 11111;

    /// <summary>The gateway port clients connect to; 0 means <see cref="Port"/> + 1.</summary>
    [Range(0, 65535, ErrorMessage = "--gateway-port must be between 1 and 65535")]
    public int GatewayPort { get; set; }

    /// <summary><c>sqlite:PATH</c> or <c>postgres:CONNECTION_STRING</c>.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "--database must not be empty")]
    public string Database { get; set; } = DatabaseLocation.Default;

    /// <summary>Orleans' ClusterId (the membership table's DeploymentId): silos with the same one form one cluster.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "--cluster-id must not be empty")]
    [StringLength(150, ErrorMessage = "--cluster-id must be at most 150 characters")]
    public string ClusterId { get; set; } = "default";

    /// <summary>Orleans' ServiceId: the scope of durable grain state and reminders; survives a new ClusterId.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "--service-id must not be empty")]
    [StringLength(150, ErrorMessage = "--service-id must be at most 150 characters")]
    public string ServiceId { get; set; } = "default";

    /// <summary>
    /// Where the silo keeps files of its own (e.g. its key pair). When not set: the directory of the SQLite database
    /// for <c>sqlite:PATH</c>, else <c>./data</c>.
    /// </summary>
    public string? DataDirectory { get; set; }

    public int EffectiveGatewayPort => GatewayPort == 0 ? Port + 1 : GatewayPort;

    public IPAddress HostAddress => IPAddress.Parse(Host);

    public DatabaseLocation DatabaseLocation => DatabaseLocation.Parse(Database);

    /// <summary>The data directory as a full path (<see cref="DataDirectory"/>, else derived from <see cref="Database"/>).</summary>
    public string ResolveDataDirectory()
    {
        if (!string.IsNullOrWhiteSpace(DataDirectory))
        {
            return Path.GetFullPath(DataDirectory);
        }

        var location = DatabaseLocation;
        var directory = location.Kind == DatabaseKind.Sqlite ? Path.GetDirectoryName(Path.GetFullPath(location.ConnectionString)) : null;
        return directory ?? Path.GetFullPath("./data");
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IPAddress.TryParse(Host, out _))
        {
            yield return new ValidationResult($"--host must be an IP address, not '{Host}' (silos and clients reach each other by the address written in the membership table)", [nameof(Host)]);
        }

        if (GatewayPort == 0 && Port == 65535)
        {
            yield return new ValidationResult("--gateway-port is needed when --port is 65535 (the default gateway port is --port + 1)", [nameof(GatewayPort)]);
        }

        if (EffectiveGatewayPort == Port)
        {
            yield return new ValidationResult($"--gateway-port must differ from --port ({Port})", [nameof(GatewayPort)]);
        }

        if (DataDirectory is { } dataDirectory && (dataDirectory.Trim().Length == 0 || dataDirectory.IndexOfAny(Path.GetInvalidPathChars()) >= 0))
        {
            yield return new ValidationResult("DataDirectory must be a directory path", [nameof(DataDirectory)]);
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

/// <summary>
/// Validates <see cref="FailoverSiloOptions"/> as the silo's start checks do (<see cref="Validator"/>): one message per
/// problem, as written. Options' own data-annotations validation reads every public property, and
/// <see cref="FailoverSiloOptions.HostAddress"/> and <see cref="FailoverSiloOptions.DatabaseLocation"/> throw a bare
/// <see cref="FormatException"/> for the very values it should report.
/// </summary>
public sealed class FailoverSiloOptionsValidator : IValidateOptions<FailoverSiloOptions>
{
    public ValidateOptionsResult Validate(string? name, FailoverSiloOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = Problems(options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    /// <summary>Every problem of <paramref name="options"/>, one message each, as written; empty when they are valid.</summary>
    public static IReadOnlyList<string> Problems(FailoverSiloOptions options)
    {
        var problems = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), problems, validateAllProperties: true);
        return [.. problems.Select(problem => problem.ErrorMessage ?? $"{string.Join(", ", problem.MemberNames)} is invalid")];
    }
}
