-- Durable keyed records of the agents' own tables (e.g. orders): a kind, a key unique within the kind, the partition
-- that owns the record, a short status to filter on, a JSON payload and a version that counts writes. Keys compare
-- bytewise (COLLATE "C", as SQLite's BINARY does), so both databases return them in the same order whatever the
-- database's locale. Updated is the database clock.
CREATE TABLE IF NOT EXISTS FailoverRecords
(
    ServiceId varchar(150) NOT NULL,
    Kind varchar(512) NOT NULL,
    RecordKey varchar(512) COLLATE "C" NOT NULL,
    Partition varchar(512) NOT NULL,
    Status varchar(64) NOT NULL,
    Payload text NOT NULL,
    Version bigint NOT NULL,
    Updated timestamp(3) NOT NULL,

    CONSTRAINT PK_FailoverRecords PRIMARY KEY (ServiceId, Kind, RecordKey)
);

-- Led by Partition so that no prefix of it matches a lookup by key: when statistics are missing or stale (a new table,
-- a new kind) the planner cannot mistake a scan of the whole kind for the primary key lookup. RecordKey last serves a
-- partition's records in key order without a sort.
CREATE INDEX IF NOT EXISTS IX_FailoverRecords_Partition ON FailoverRecords (Partition, ServiceId, Kind, Status, RecordKey);
