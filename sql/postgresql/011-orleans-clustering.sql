-- The statements of Orleans' ADO.NET clustering provider (AdoNetClusteringTable, AdoNetGatewayListProvider) on the
-- membership tables of 002. Parameters are the ones the provider binds for each key, nothing else.
--
-- Times: the provider binds DateTime values (UTC) as timestamp with time zone; "AT TIME ZONE 'UTC'" turns them into
-- the UTC wall-clock time the timestamp(3) columns hold, whatever the session's TimeZone. The provider reads the
-- columns back as UTC.
--
-- Compare-and-swap: InsertMembershipKey and UpdateMembershipKey are each one statement that answers one boolean.
-- The version row is locked (FOR UPDATE) only while its Version still equals @Version; a writer racing on the same
-- version waits for the row lock, and under READ COMMITTED re-checks the condition against the committed row, so
-- after the winner has bumped it the loser selects nothing, writes nothing and answers false. The row write feeds the
-- version bump, so the bump happens exactly when the row was written (an insert of an existing row writes nothing).
-- UpdateIAmAlivetimeKey writes IAmAliveTime only and leaves the version alone.

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('InsertMembershipVersionKey', $q$
WITH inserted AS (
    INSERT INTO OrleansMembershipVersionTable (DeploymentId, Timestamp, Version)
    VALUES (@DeploymentId, (now() AT TIME ZONE 'UTC')::timestamp(3), 0)
    ON CONFLICT (DeploymentId) DO NOTHING
    RETURNING DeploymentId
)
SELECT count(*) = 1 AS Inserted FROM inserted
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- From the version row, so there is always a row carrying the Version; a NULL StartTime means no member.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('MembershipReadAllKey', $q$
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
    coalesce(m.ProxyPort, 0) AS ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable v
LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
WHERE v.DeploymentId = @DeploymentId
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('MembershipReadRowKey', $q$
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
    coalesce(m.ProxyPort, 0) AS ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable v
LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
    AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
WHERE v.DeploymentId = @DeploymentId
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('InsertMembershipKey', $q$
WITH guard AS (
    SELECT DeploymentId FROM OrleansMembershipVersionTable
    WHERE DeploymentId = @DeploymentId AND Version = @Version
    FOR UPDATE
), inserted AS (
    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, SuspectTimes, StartTime, IAmAliveTime)
    SELECT g.DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, NULL,
        (@StartTime AT TIME ZONE 'UTC'), (@IAmAliveTime AT TIME ZONE 'UTC')
    FROM guard g
    ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING
    RETURNING DeploymentId
), bumped AS (
    UPDATE OrleansMembershipVersionTable v
    SET Version = v.Version + 1, Timestamp = (now() AT TIME ZONE 'UTC')::timestamp(3)
    FROM inserted i
    WHERE v.DeploymentId = i.DeploymentId
    RETURNING v.Version
)
SELECT count(*) = 1 AS Applied FROM bumped
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- The provider binds no ProxyPort for an update: the proxy port stays as inserted.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpdateMembershipKey', $q$
WITH guard AS (
    SELECT DeploymentId FROM OrleansMembershipVersionTable
    WHERE DeploymentId = @DeploymentId AND Version = @Version
    FOR UPDATE
), updated AS (
    UPDATE OrleansMembershipTable m
    SET Status = @Status, SuspectTimes = @SuspectTimes, IAmAliveTime = (@IAmAliveTime AT TIME ZONE 'UTC')
    FROM guard g
    WHERE m.DeploymentId = g.DeploymentId AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
    RETURNING m.DeploymentId
), bumped AS (
    UPDATE OrleansMembershipVersionTable v
    SET Version = v.Version + 1, Timestamp = (now() AT TIME ZONE 'UTC')::timestamp(3)
    FROM updated u
    WHERE v.DeploymentId = u.DeploymentId
    RETURNING v.Version
)
SELECT count(*) = 1 AS Applied FROM bumped
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpdateIAmAlivetimeKey', $q$
UPDATE OrleansMembershipTable
SET IAmAliveTime = (@IAmAliveTime AT TIME ZONE 'UTC')
WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- The provider binds @Status = 3 (Active). A silo without a gateway has no proxy port to offer.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('GatewaysQueryKey', $q$
SELECT Address, ProxyPort, Generation
FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Both statements run in the one implicit transaction of the command.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteMembershipTableEntriesKey', $q$
DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Used only when CleanupDefunctSiloEntryKey is missing: every Dead row not alive since @IAmAliveTime. Only Dead
-- (6) rows go, never an Active one however old its IAmAliveTime.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId AND Status = 6 AND IAmAliveTime < (@IAmAliveTime AT TIME ZONE 'UTC')
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- One row the provider read as Dead and old: deleted only while it is still Dead with the values it was read with
-- (a row changed since is left for the next pass). Empty and NULL suspect lists are the same list to the provider.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('CleanupDefunctSiloEntryKey', $q$
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
    AND Status = 6
    AND StartTime = (@StartTime AT TIME ZONE 'UTC')
    AND IAmAliveTime = (@IAmAliveTime AT TIME ZONE 'UTC')
    AND coalesce(SuspectTimes, '') = coalesce(@SuspectTimes, '')
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
