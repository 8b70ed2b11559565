-- The statements of Orleans' ADO.NET clustering provider (AdoNetClusteringTable, AdoNetGatewayListProvider) on the
-- membership tables of 002, for the invariant System.Data.SQLite (which Orleans opens with Microsoft.Data.Sqlite).
-- Parameters are the ones the provider binds for each key, nothing else.
--
-- Times: the provider binds DateTime values (UTC) as text 'yyyy-MM-dd HH:mm:ss.FFFFFFF'. They are stored, as
-- everywhere in this schema, as strftime('%Y-%m-%d %H:%M:%f') text: UTC, milliseconds, no 'T' and no zone, which the
-- provider parses back and takes as UTC. Comparisons normalize the parameter the same way.
--
-- Compare-and-swap: one statement must check the version, write the row and bump the version, without BEGIN/COMMIT in
-- the query text (a statement that fails there hands its pooled connection back with the write transaction open).
-- SQLite runs each statement, with the triggers it fires, atomically under the database's write lock. So a write is
-- an INSERT of the request into a staging table whose BEFORE trigger checks the version row and the membership row and
-- either drops the request (RAISE(IGNORE): nothing is written, changes() is 0) or writes the membership row and bumps
-- the version; an AFTER trigger removes the request again. "SELECT changes()" then answers the boolean. The triggers
-- sit on the staging tables, not on OrleansMembershipTable, so other writers of the membership table (which bump the
-- version themselves) are not affected, and UpdateIAmAlivetimeKey, a plain UPDATE of IAmAliveTime, never bumps it.

CREATE TABLE IF NOT EXISTS FailoverMembershipInserts
(
    DeploymentId varchar(150) NOT NULL,
    Address varchar(45) NOT NULL,
    Port integer NOT NULL,
    Generation integer NOT NULL,
    SiloName varchar(150) NOT NULL,
    HostName varchar(150) NOT NULL,
    Status integer NOT NULL,
    ProxyPort integer NULL,
    StartTime text NOT NULL,
    IAmAliveTime text NOT NULL,
    ExpectedVersion integer NOT NULL
);

CREATE TABLE IF NOT EXISTS FailoverMembershipUpdates
(
    DeploymentId varchar(150) NOT NULL,
    Address varchar(45) NOT NULL,
    Port integer NOT NULL,
    Generation integer NOT NULL,
    Status integer NOT NULL,
    SuspectTimes varchar(8000) NULL,
    IAmAliveTime text NOT NULL,
    ExpectedVersion integer NOT NULL
);

DROP TRIGGER IF EXISTS FailoverMembershipInserts_Apply;
CREATE TRIGGER FailoverMembershipInserts_Apply BEFORE INSERT ON FailoverMembershipInserts
BEGIN
    SELECT RAISE(IGNORE)
    WHERE NOT EXISTS (
            SELECT 1 FROM OrleansMembershipVersionTable
            WHERE DeploymentId = NEW.DeploymentId AND Version = NEW.ExpectedVersion)
        OR EXISTS (
            SELECT 1 FROM OrleansMembershipTable
            WHERE DeploymentId = NEW.DeploymentId AND Address = NEW.Address AND Port = NEW.Port
                AND Generation = NEW.Generation);
    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, SuspectTimes, StartTime, IAmAliveTime)
    VALUES
        (NEW.DeploymentId, NEW.Address, NEW.Port, NEW.Generation, NEW.SiloName, NEW.HostName, NEW.Status, NEW.ProxyPort,
         NULL, NEW.StartTime, NEW.IAmAliveTime);
    UPDATE OrleansMembershipVersionTable
    SET Version = Version + 1, Timestamp = strftime('%Y-%m-%d %H:%M:%f', 'now')
    WHERE DeploymentId = NEW.DeploymentId;
END;

DROP TRIGGER IF EXISTS FailoverMembershipInserts_Done;
CREATE TRIGGER FailoverMembershipInserts_Done AFTER INSERT ON FailoverMembershipInserts
BEGIN
    DELETE FROM FailoverMembershipInserts WHERE rowid = NEW.rowid;
END;

DROP TRIGGER IF EXISTS FailoverMembershipUpdates_Apply;
CREATE TRIGGER FailoverMembershipUpdates_Apply BEFORE INSERT ON FailoverMembershipUpdates
BEGIN
    SELECT RAISE(IGNORE)
    WHERE NOT EXISTS (
            SELECT 1 FROM OrleansMembershipVersionTable
            WHERE DeploymentId = NEW.DeploymentId AND Version = NEW.ExpectedVersion)
        OR NOT EXISTS (
            SELECT 1 FROM OrleansMembershipTable
            WHERE DeploymentId = NEW.DeploymentId AND Address = NEW.Address AND Port = NEW.Port
                AND Generation = NEW.Generation);
    UPDATE OrleansMembershipTable
    SET Status = NEW.Status, SuspectTimes = NEW.SuspectTimes, IAmAliveTime = NEW.IAmAliveTime
    WHERE DeploymentId = NEW.DeploymentId AND Address = NEW.Address AND Port = NEW.Port AND Generation = NEW.Generation;
    UPDATE OrleansMembershipVersionTable
    SET Version = Version + 1, Timestamp = strftime('%Y-%m-%d %H:%M:%f', 'now')
    WHERE DeploymentId = NEW.DeploymentId;
END;

DROP TRIGGER IF EXISTS FailoverMembershipUpdates_Done;
CREATE TRIGGER FailoverMembershipUpdates_Done AFTER INSERT ON FailoverMembershipUpdates
BEGIN
    DELETE FROM FailoverMembershipUpdates WHERE rowid = NEW.rowid;
END;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('InsertMembershipVersionKey', '
INSERT INTO OrleansMembershipVersionTable (DeploymentId, Timestamp, Version)
VALUES (@DeploymentId, strftime(''%Y-%m-%d %H:%M:%f'', ''now''), 0)
ON CONFLICT (DeploymentId) DO NOTHING;
SELECT changes() AS Inserted;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- From the version row, so there is always a row carrying the Version; a NULL StartTime means no member.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('MembershipReadAllKey', '
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
    coalesce(m.ProxyPort, 0) AS ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable v
LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
WHERE v.DeploymentId = @DeploymentId
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('MembershipReadRowKey', '
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
    coalesce(m.ProxyPort, 0) AS ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable v
LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
    AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
WHERE v.DeploymentId = @DeploymentId
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('InsertMembershipKey', '
INSERT INTO FailoverMembershipInserts
    (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime,
     ExpectedVersion)
VALUES
    (@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort,
     strftime(''%Y-%m-%d %H:%M:%f'', @StartTime), strftime(''%Y-%m-%d %H:%M:%f'', @IAmAliveTime), @Version);
SELECT changes() AS Applied;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- The provider binds no ProxyPort for an update: the proxy port stays as inserted.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpdateMembershipKey', '
INSERT INTO FailoverMembershipUpdates
    (DeploymentId, Address, Port, Generation, Status, SuspectTimes, IAmAliveTime, ExpectedVersion)
VALUES
    (@DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes,
     strftime(''%Y-%m-%d %H:%M:%f'', @IAmAliveTime), @Version);
SELECT changes() AS Applied;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpdateIAmAlivetimeKey', '
UPDATE OrleansMembershipTable
SET IAmAliveTime = strftime(''%Y-%m-%d %H:%M:%f'', @IAmAliveTime)
WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- The provider binds @Status = 3 (Active). A silo without a gateway has no proxy port to offer.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('GatewaysQueryKey', '
SELECT Address, ProxyPort, Generation
FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Two statements: the members first, as their foreign key needs the version row.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteMembershipTableEntriesKey', '
DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Used only when CleanupDefunctSiloEntryKey is missing: every Dead row not alive since @IAmAliveTime. Only Dead
-- (6) rows go, never an Active one however old its IAmAliveTime.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('CleanupDefunctSiloEntriesKey', '
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId AND Status = 6
    AND IAmAliveTime < strftime(''%Y-%m-%d %H:%M:%f'', @IAmAliveTime)
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- One row the provider read as Dead and old: deleted only while it is still Dead with the values it was read with
-- (a row changed since is left for the next pass). Empty and NULL suspect lists are the same list to the provider.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('CleanupDefunctSiloEntryKey', '
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
    AND Status = 6
    AND StartTime = strftime(''%Y-%m-%d %H:%M:%f'', @StartTime)
    AND IAmAliveTime = strftime(''%Y-%m-%d %H:%M:%f'', @IAmAliveTime)
    AND coalesce(SuspectTimes, '''') = coalesce(@SuspectTimes, '''')
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
