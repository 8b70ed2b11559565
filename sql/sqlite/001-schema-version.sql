-- Which of these scripts have been applied to this database (one row per script number).
-- Times are UTC as ISO-8601 text 'yyyy-MM-dd HH:mm:ss.fff', so text order is time order.
CREATE TABLE IF NOT EXISTS FailoverSchemaVersion
(
    Version integer NOT NULL,
    Name varchar(150) NOT NULL,
    AppliedOn text NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),

    CONSTRAINT PK_FailoverSchemaVersion PRIMARY KEY (Version)
);
