-- The cluster's durable event log: role changes, fail-overs, decisions of failover pairs. Times are the database
-- clock, so events written by different nodes order correctly.
CREATE TABLE IF NOT EXISTS FailoverEvents
(
    Id bigserial NOT NULL,
    ServiceId varchar(150) NOT NULL,
    Time timestamp(3) NOT NULL,
    Source varchar(150) NOT NULL,
    Kind varchar(64) NOT NULL,
    Detail varchar(2000) NOT NULL,

    CONSTRAINT PK_FailoverEvents PRIMARY KEY (Id)
);

CREATE INDEX IF NOT EXISTS IX_FailoverEvents_Source ON FailoverEvents (ServiceId, Source, Id);
