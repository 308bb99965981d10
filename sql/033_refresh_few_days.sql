-- 033_refresh_few_days.sql: refreshing the summaries of a few changed days
-- reads those days' questions, not whole tables (issue 15, point 4).
--
-- Every count or report first refreshes the days changed since the last one
-- (stat_refresh: stat_refresh_days of 030, stat_refresh_pairs of 031).  Both
-- find the days' questions by joining unnest(p_days) to question on a
-- created_at range whose bounds come from that join, so the planner cannot
-- see them: it took 1/9 of the table (111,113 of 1,000,000 questions, for
-- the 1,369 of one day) and chose hash joins that read all of referral
-- (171,000 rows) and info_given (600,000).  The first count after any change
-- waited 0.6 s (1.3-1.7 s on a loaded machine).
--
-- stat_day_questions() returns the days' questions, and says it returns
-- about 2,000 (ROWS; PL/pgSQL, so the planner does not inline it and keeps
-- that estimate): the statements then probe referral and info_given by
-- question.  The statements of 030 and 031 are used as they are, with only
-- that FROM changed (checked: the migration fails if it does not find it),
-- as stat_refresh_days_few() and stat_refresh_pairs_few(); stat_refresh
-- takes them for up to 31 days, and the ones that read whole tables for
-- more (after a seed, stat_refresh_all), where hash joins are right.

SET LOCAL ROLE loket_owner;

CREATE FUNCTION stat_day_questions(p_region text, p_days date[])
    RETURNS TABLE (day date, id uuid)
    LANGUAGE plpgsql STABLE ROWS 2000
    SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    RETURN QUERY
    SELECT d.day, q.id
      FROM unnest(p_days) AS d(day)
      JOIN question q ON q.region = p_region
                     AND q.created_at >= nl_start(d.day) AND q.created_at < nl_start(d.day + 1);
END $$;
REVOKE EXECUTE ON FUNCTION stat_day_questions(text, date[]) FROM PUBLIC;

DO $$
DECLARE
    v_from constant text := E'FROM unnest(p_days) AS d(day)\n'
        '          JOIN question q ON q.region = p_region\n'
        '                         AND q.created_at >= nl_start(d.day) AND q.created_at < nl_start(d.day + 1)';
    v_to constant text := E'FROM stat_day_questions(p_region, p_days) AS d(day, id)\n'
        '          JOIN question q ON q.id = d.id';
    v_fn text;
    v_src text;
BEGIN
    FOREACH v_fn IN ARRAY ARRAY['stat_refresh_days', 'stat_refresh_pairs'] LOOP
        SELECT p.prosrc INTO v_src FROM pg_proc p
         WHERE p.oid = format('loket.%I(text, date[])', v_fn)::regprocedure;
        IF position(v_from IN v_src) = 0 THEN
            RAISE EXCEPTION '033: %() does not read its days as 030 and 031 wrote it', v_fn;
        END IF;
        EXECUTE format('CREATE FUNCTION loket.%I(p_region text, p_days date[]) RETURNS void '
                       'LANGUAGE sql SET search_path = loket, pg_catalog, pg_temp '
                       'SET jit = off AS %L', v_fn || '_few', replace(v_src, v_from, v_to));
        EXECUTE format('REVOKE EXECUTE ON FUNCTION loket.%I(text, date[]) FROM PUBLIC',
                       v_fn || '_few');
    END LOOP;
END $$;

-- As in 032, with the few days' statements for up to 31 days.
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
    IF cardinality(v_days) <= 31 THEN   -- a count or report after changes
        PERFORM stat_refresh_days_few(p_region, v_days);
        PERFORM stat_refresh_pairs_few(p_region, v_days);
    ELSE                                -- after a seed or a restore: whole tables
        PERFORM stat_refresh_days(p_region, v_days);
        PERFORM stat_refresh_pairs(p_region, v_days);
    END IF;
    RETURN cardinality(v_days);
END $$;
