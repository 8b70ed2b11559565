namespace Failover.Runtime.Grains;

public interface IGrainReminder
{
    string ReminderName { get; }
}
