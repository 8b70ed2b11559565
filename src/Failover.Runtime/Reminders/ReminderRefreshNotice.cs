namespace Failover.Runtime.Reminders;

/// <summary>
/// A silo-to-silo request telling the silo that owns a reminder's ring range to re-read its reminders now, so a
/// reminder registered or removed on another silo starts or stops at once rather than at the next periodic refresh.
/// </summary>
internal static class ReminderRefreshNotice
{
    /// <summary>The reserved method key; no grain method key can take this form.</summary>
    public const string Method = "system:reminders/refresh";
}
