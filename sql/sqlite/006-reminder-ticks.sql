-- The last tick of each reminder that reached its grain, so the silo that takes a reminder over after a fail-over
-- can report the ticks missed in between (TickStatus.MissedTicks). Beside Orleans' table, whose columns stay as they are.
-- Times are UTC as ISO-8601 text 'yyyy-MM-dd HH:mm:ss.fff', so text order is time order.
CREATE TABLE IF NOT EXISTS FailoverReminderTicks
(
    ServiceId varchar(150) NOT NULL,
    GrainId varchar(150) NOT NULL,
    ReminderName varchar(150) NOT NULL,
    LastTickTime text NOT NULL,

    CONSTRAINT PK_FailoverReminderTicks PRIMARY KEY (ServiceId, GrainId, ReminderName)
);
