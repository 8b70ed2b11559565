using Failover.Runtime.Grains;

namespace Failover.Runtime.Reminders;

internal sealed record GrainReminder(string ReminderName) : IGrainReminder;
