-- A batch of compare-and-swap updates of FailoverRecords as one statement. The rows are looked up one by one, each by
-- its full primary key: joined to an array in one UPDATE, a young table's missing statistics let the planner scan the
-- whole kind instead, and one statement per row costs the server a parse and a plan each (about three times the
-- row's own work). Element i applies only when the stored Version is p_expected[i]; only applied elements return a
-- row: their 1-based index, the new Version and the database clock.
CREATE OR REPLACE FUNCTION FailoverUpdateRecords(
    p_service varchar,
    p_kind varchar,
    p_keys text[],
    p_partitions text[],
    p_statuses text[],
    p_payloads text[],
    p_expected bigint[])
RETURNS TABLE (WriteIndex integer, NewVersion bigint, NewUpdated timestamp(3))
LANGUAGE plpgsql
AS $$
BEGIN
    FOR i IN 1 .. coalesce(array_length(p_keys, 1), 0) LOOP
        UPDATE FailoverRecords AS r
        SET Partition = p_partitions[i], Status = p_statuses[i], Payload = p_payloads[i], Version = r.Version + 1,
            Updated = (now() at time zone 'utc')::timestamp(3)
        WHERE r.ServiceId = p_service AND r.Kind = p_kind AND r.RecordKey = p_keys[i] AND r.Version = p_expected[i]
        RETURNING i, r.Version, r.Updated INTO WriteIndex, NewVersion, NewUpdated;
        IF FOUND THEN
            RETURN NEXT;
        END IF;
    END LOOP;
END
$$;
