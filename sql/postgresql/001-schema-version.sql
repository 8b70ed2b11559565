-- Which of these scripts have been applied to this database (one row per script number).
CREATE TABLE IF NOT EXISTS FailoverSchemaVersion
(
    Version integer NOT NULL,
    Name varchar(150) NOT NULL,
    AppliedOn timestamp(3) NOT NULL DEFAULT (now() at time zone 'utc'),

    CONSTRAINT PK_FailoverSchemaVersion PRIMARY KEY (Version)
);
