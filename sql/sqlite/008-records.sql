-- Durable keyed records of the agents' own tables (e.g. orders): a kind, a key unique within the kind, the partition
-- that owns the record, a short status to filter on, a JSON payload and a version that counts writes. Keys compare
-- bytewise (BINARY). Updated is the database clock (UTC as ISO-8601 text 'yyyy-MM-dd HH:mm:ss.fff').
CREATE TABLE IF NOT EXISTS FailoverRecords
(
    ServiceId varchar(150) NOT NULL,
    Kind varchar(512) NOT NULL,
    RecordKey varchar(512) NOT NULL,
    Partition varchar(512) NOT NULL,
    Status varchar(64) NOT NULL,
    Payload text NOT NULL,
    Version bigint NOT NULL,
    Updated text NOT NULL,

    CONSTRAINT PK_FailoverRecords PRIMARY KEY (ServiceId, Kind, RecordKey)
);

-- The columns of the PostgreSQL index (Partition leads so that no prefix of it matches a lookup by key); RecordKey
-- last serves a partition's records in key order without a sort.
CREATE INDEX IF NOT EXISTS IX_FailoverRecords_Partition ON FailoverRecords (Partition, ServiceId, Kind, Status, RecordKey);
