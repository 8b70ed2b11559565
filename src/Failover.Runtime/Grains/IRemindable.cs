namespace Failover.Runtime.Grains;

/// <summary>Implemented by grains that register reminders (Orleans' name and signature).</summary>
public interface IRemindable : IGrain
{
    Task ReceiveReminder(string reminderName, TickStatus status);
}
