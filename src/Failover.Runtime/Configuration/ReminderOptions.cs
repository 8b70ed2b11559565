using System.ComponentModel.DataAnnotations;

namespace Failover.Runtime.Configuration;

/// <summary>Reminder settings; configuration section <c>Reminders</c>.</summary>
public sealed class ReminderOptions
{
    public const string SectionName = "Reminders";

    /// <summary>
    /// The shortest period a reminder may have. Orleans insists on one minute; a failover product needs
    /// sub-second checks, bounded only by what the database can take.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan MinimumReminderPeriod { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often the silo re-reads the reminders table to pick up reminders it must fire.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan RefreshPeriod { get; set; } = TimeSpan.FromSeconds(5);
}
