-- The statements Orleans' ADO.NET providers run, one row per query key. The providers read this table when they start
-- (clustering and reminders load every row and refuse to start when one of their keys is missing). Rows are written
-- by the scripts that follow with an upsert, so a later script can correct a text by writing its key again.
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey varchar(64) NOT NULL,
    QueryText varchar(8000) NOT NULL,

    CONSTRAINT PK_OrleansQuery PRIMARY KEY (QueryKey)
);
