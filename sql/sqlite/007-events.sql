-- The cluster's durable event log: role changes, fail-overs, decisions of failover pairs. Times are the database
-- clock (UTC as ISO-8601 text 'yyyy-MM-dd HH:mm:ss.fff'), so events written by different nodes order correctly.
CREATE TABLE IF NOT EXISTS FailoverEvents
(
    Id INTEGER PRIMARY KEY AUTOINCREMENT,
    ServiceId varchar(150) NOT NULL,
    Time text NOT NULL,
    Source varchar(150) NOT NULL,
    Kind varchar(64) NOT NULL,
    Detail varchar(2000) NOT NULL
);

CREATE INDEX IF NOT EXISTS IX_FailoverEvents_Source ON FailoverEvents (ServiceId, Source, Id);
