-- 032_owner_locks.sql: locks nobody but the owner can take.
--
-- The summaries' refresh (015, 026, 030, 031) and the catalogue sync (019)
-- serialised themselves with pg_advisory_xact_lock.  Advisory locks belong
-- to no object and need no privilege: an advisor in psql could take
-- pg_advisory_lock(hashtext('loket.stat_refresh'), hashtext('twente')) and
-- keep it, and from then on every count and report of the region after a
-- change waited for ever (and the nightly catalogue sync the same way).
-- Now the refresh locks a row of owner_lock, a table no role but the owner
-- may read or lock (FOR UPDATE needs UPDATE on it), and the sync relies on
-- the row lock its upsert of offering_source takes anyway (advisors may not
-- lock that row: they only SELECT it).  And no login role holds a table
-- privilege that lets it LOCK a shared table (saved_query, below).

SET LOCAL ROLE loket_owner;

CREATE TABLE owner_lock (
    name text NOT NULL,
    region text NOT NULL,
    PRIMARY KEY (name, region)
);
REVOKE ALL ON owner_lock FROM PUBLIC;
COMMENT ON TABLE owner_lock IS
    'loket: rows the definer functions lock to serialise work per region; no grants';

INSERT INTO owner_lock (name, region) SELECT 'stat_refresh', code FROM region;

-- As in 031, with the owner's lock instead of the advisory one.
CREATE OR REPLACE FUNCTION stat_refresh(p_region text) RETURNS integer
    LANGUAGE plpgsql
    SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    v_days date[];
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed'
       OR current_setting('transaction_read_only') = 'on' THEN
        RETURN 0;   -- a fixed snapshot, or a read-only transaction or standby
    END IF;
    -- one refresh of a region at a time: a lock only the owner can take
    INSERT INTO owner_lock (name, region) VALUES ('stat_refresh', p_region)
    ON CONFLICT DO NOTHING;
    PERFORM 1 FROM owner_lock WHERE name = 'stat_refresh' AND region = p_region FOR UPDATE;
    WITH gone AS (DELETE FROM stat_dirty WHERE region = p_region RETURNING day)
    SELECT array_agg(DISTINCT day) INTO v_days FROM gone;
    IF v_days IS NULL THEN
        RETURN 0;
    END IF;
    DELETE FROM stat_cohort WHERE region = p_region AND day = ANY (v_days);
    DELETE FROM stat_volume WHERE region = p_region AND day = ANY (v_days);
    DELETE FROM stat_outcome WHERE region = p_region AND day = ANY (v_days);
    DELETE FROM stat_item WHERE region = p_region AND day = ANY (v_days);
    DELETE FROM stat_reader_cohort WHERE region = p_region AND day = ANY (v_days);
    DELETE FROM stat_reader_volume WHERE region = p_region AND day = ANY (v_days);
    DELETE FROM stat_pair WHERE region = p_region AND day = ANY (v_days);
    DELETE FROM stat_reader_pair WHERE region = p_region AND day = ANY (v_days);
    PERFORM stat_refresh_days(p_region, v_days);
    PERFORM stat_refresh_pairs(p_region, v_days);
    RETURN cardinality(v_days);
END $$;

-- As in 019, without the advisory lock.
CREATE OR REPLACE FUNCTION offering_sync_begin(p_url text) RETURNS bigint
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    v_region text := my_region();
    v_no bigint;
BEGIN
    IF v_region IS NULL THEN
        RAISE EXCEPTION 'role "%" is not an active loket advisor', current_user
            USING ERRCODE = '42501';
    END IF;
    -- the upsert below locks the region's row until the sync commits: a
    -- second sync waits there (no advisory lock, which anyone can take)
    INSERT INTO offering_source AS s (region, url) VALUES (v_region, p_url)
    ON CONFLICT (region) DO UPDATE
       SET url = EXCLUDED.url,
           -- another source: its validators mean nothing here
           etag = CASE WHEN s.url = EXCLUDED.url THEN s.etag END,
           last_modified = CASE WHEN s.url = EXCLUDED.url THEN s.last_modified END
    RETURNING s.sync_no + 1 INTO v_no;
    UPDATE offering_source SET sync_no = v_no WHERE region = v_region;
    RETURN v_no;
END $$;

-- saved_query: the advisors, the central point and the supervisors held
-- DELETE on the table (their own rows, by policy), and a table privilege to
-- delete is also one to LOCK TABLE loket.saved_query IN ACCESS EXCLUSIVE
-- MODE: one person held everyone's \save, \run and \saved.  Nothing in loket
-- deletes a saved query; one's own goes through saved_query_forget().
REVOKE DELETE ON saved_query FROM loket_supervisor, loket_advisor, loket_central;
DROP POLICY saved_query_own_delete ON saved_query;
-- (the owner deletes for saved_query_forget(), and must see the rows to)
CREATE POLICY saved_query_owner_read ON saved_query FOR SELECT TO loket_owner USING (true);
CREATE POLICY saved_query_owner_delete ON saved_query FOR DELETE TO loket_owner USING (true);

-- Remove the caller's own saved query p_name; whether there was one.
CREATE FUNCTION saved_query_forget(p_name text) RETURNS boolean
    LANGUAGE sql SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
    WITH gone AS (DELETE FROM saved_query WHERE owner = invoker_role() AND name = p_name
                  RETURNING 1)
    SELECT count(*) > 0 FROM gone
$$;
REVOKE EXECUTE ON FUNCTION saved_query_forget(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION saved_query_forget(text)
    TO loket_supervisor, loket_advisor, loket_central;
