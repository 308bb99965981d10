-- 015_supervisor_aggregates: supervisors see aggregates only, with small
-- counts suppressed, enforced here (doc/reports.md).
--
-- Until now supervisors could read the case rows of their region; from any
-- rows an exact small count can be derived, so that right goes.  What they
-- get instead are functions that count for them:
--   query_count(spec)   the query language's "count" (doc/query.md), built
--                       here from a parsed query in jsonb, values only as
--                       parameters;
--   report_*()          the six reports.
-- These run as loket_owner (SECURITY DEFINER), which may read every row
-- through its own policies below (it owns the tables and could switch
-- row-level security off anyway).  Each one first asks who is calling:
-- session_user, the login role, which a user cannot SET (inside a definer
-- function current_user is the owner).  It must be an active supervisor of
-- a region, and that region is the only one counted.  Counts from 1 to
-- region.suppress_below - 1 come back as NULL, shown as "<5"; rates and
-- times over so few are NULL as well.
--
-- The reports read summary tables (stat_*), one row per day and
-- organisation (and topic, dimension or knowledge item), so that a report
-- over a year reads a few thousand rows instead of a few hundred thousand
-- questions.  Statement triggers on the case tables note which days
-- changed (stat_dirty); a report first recomputes those days.  See
-- stat_refresh() for why that cannot lose a change.
SET LOCAL ROLE loket_owner;

-- The threshold, per region; the region's administrator sets it.
ALTER TABLE region
    ADD COLUMN suppress_below integer NOT NULL DEFAULT 5
        CHECK (suppress_below BETWEEN 2 AND 100);
COMMENT ON COLUMN region.suppress_below IS
    'counts from 1 to this minus 1 are shown to supervisors as "<N"';

-- Supervisors lose every row of the case tables.
REVOKE SELECT ON question, referral, info_given, signal, question_event FROM loket_supervisor;
REVOKE SELECT ON referral_seen FROM loket_supervisor;
REVOKE EXECUTE ON FUNCTION referral_unseen(referral) FROM loket_supervisor;
DROP POLICY question_read_region ON question;
DROP POLICY referral_read_region ON referral;
DROP POLICY signal_read_region ON signal;
ALTER POLICY info_given_read ON info_given TO loket_advisor, loket_central;
ALTER POLICY question_event_read ON question_event TO loket_advisor, loket_central;

-- The owner reads everything, for the counting functions it owns.
CREATE POLICY owner_counts ON question FOR SELECT TO loket_owner USING (true);
CREATE POLICY owner_counts ON referral FOR SELECT TO loket_owner USING (true);
CREATE POLICY owner_counts ON info_given FOR SELECT TO loket_owner USING (true);
CREATE POLICY owner_counts ON signal FOR SELECT TO loket_owner USING (true);

-- The Dutch calendar day of a moment, whatever the session's TimeZone.
CREATE FUNCTION nl_day(t timestamptz) RETURNS date
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT (t AT TIME ZONE 'Europe/Amsterdam')::date $$;
-- The first moment of a Dutch calendar day.
CREATE FUNCTION nl_start(d date) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT d::timestamp AT TIME ZONE 'Europe/Amsterdam' $$;

-- The region of the supervisor calling, or an error.  Only for functions
-- that run as the owner: session_user is the login role.
CREATE FUNCTION supervisor_region() RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    v text;
BEGIN
    SELECT a.region INTO v FROM advisor a
     WHERE a.role_name = session_user AND a.active AND 'supervisor' = ANY (a.roles)
       AND pg_has_role(session_user, 'loket_supervisor', 'MEMBER');
    IF v IS NULL THEN
        RAISE EXCEPTION 'only supervisors see the region''s figures'
            USING ERRCODE = '42501';
    END IF;
    RETURN v;
END $$;

-- n, or NULL when it is from 1 to k - 1.
CREATE FUNCTION suppress(n bigint, k integer) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN n > 0 AND n < k THEN NULL ELSE n END $$;

-- x out of n as a fraction, only when neither is a small count.
CREATE FUNCTION safe_rate(x bigint, n bigint, k integer) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN n >= k AND (x = 0 OR x >= k) AND (n - x = 0 OR n - x >= k)
                      THEN round(x::numeric / n, 4) END $$;

-- Indexes for the reports that read case tables directly.
CREATE INDEX referral_region_recent ON referral (region, created_at);
CREATE INDEX signal_region_recent ON signal (region, created_at DESC);
CREATE INDEX info_given_at ON info_given (given_at);

------------------------------------------------------------------------------
-- Summary tables.  Nobody but the owner reads or writes them.

-- Days whose figures must be recomputed.  Rows are only ever inserted by the
-- triggers (no unique key, so no row locks between advisors) and deleted by
-- stat_refresh().
CREATE TABLE stat_dirty (
    region code NOT NULL,
    day    date NOT NULL
);
CREATE INDEX stat_dirty_region ON stat_dirty (region, day);

-- Questions registered on a day at an organisation about a topic, and how
-- far they got.
CREATE TABLE stat_cohort (
    region       code NOT NULL,
    day          date NOT NULL,
    organisation code NOT NULL,
    topic        code NOT NULL,
    registered   integer NOT NULL,
    informed     integer NOT NULL,   -- got first-line information
    referred     integer NOT NULL,   -- a referral that was not withdrawn
    accepted     integer NOT NULL,   -- picked up by the target
    completed    integer NOT NULL,   -- a referral completed with an outcome
    returned     integer NOT NULL,   -- a referral sent back
    PRIMARY KEY (region, day, organisation, topic)
);

-- The same questions by one dimension at a time, for the volume report.
CREATE TABLE stat_volume (
    region code NOT NULL,
    day    date NOT NULL,
    dim    text NOT NULL CHECK (dim IN ('org', 'topic', 'group', 'channel', 'muni')),
    value  text NOT NULL,   -- '' for an unknown municipality
    n      integer NOT NULL,
    PRIMARY KEY (region, day, dim, value)
);

-- Completed referrals by outcome, by the day and organisation of the question.
CREATE TABLE stat_outcome (
    region       code NOT NULL,
    day          date NOT NULL,
    organisation code NOT NULL,
    outcome      code NOT NULL,
    n            integer NOT NULL,
    PRIMARY KEY (region, day, organisation, outcome)
);

-- Questions that were given a knowledge item, by the question's day,
-- organisation and topic.
CREATE TABLE stat_item (
    region       code NOT NULL,
    day          date NOT NULL,
    organisation code NOT NULL,
    topic        code NOT NULL,
    item_id      bigint NOT NULL,
    n            integer NOT NULL,
    PRIMARY KEY (region, day, organisation, topic, item_id)
);

-- Marking: one statement, one row per region and day it touched.  Definer,
-- so advisors need no right on stat_dirty; it reads only ids and days.
CREATE FUNCTION stat_mark_question() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO stat_dirty (region, day)
    SELECT DISTINCT region, nl_day(created_at) FROM changed;
    RETURN NULL;
END $$;
CREATE FUNCTION stat_mark_child() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO stat_dirty (region, day)
    SELECT DISTINCT q.region, nl_day(q.created_at)
      FROM (SELECT DISTINCT question_id FROM changed) c
      JOIN question q ON q.id = c.question_id;
    RETURN NULL;
END $$;
REVOKE EXECUTE ON FUNCTION stat_mark_question(), stat_mark_child() FROM PUBLIC;

CREATE TRIGGER stat_mark_insert AFTER INSERT ON question
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION stat_mark_question();
CREATE TRIGGER stat_mark_update AFTER UPDATE ON question
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION stat_mark_question();
CREATE TRIGGER stat_mark_insert AFTER INSERT ON info_given
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION stat_mark_child();
CREATE TRIGGER stat_mark_insert AFTER INSERT ON referral
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION stat_mark_child();
CREATE TRIGGER stat_mark_update AFTER UPDATE ON referral
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION stat_mark_child();

-- Whether a question was given first-line information.  019 adds the
-- training offerings given; a plain SQL expression, so it is inlined.
CREATE FUNCTION question_informed(p_question uuid) RETURNS boolean
    LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM loket.info_given i WHERE i.question_id = p_question)
$$;

-- Recompute the marked days of a region.  Why no change is lost: a change
-- and its mark commit together.  The marks this deletes were committed
-- before the DELETE; the recomputing statements come after it and, in READ
-- COMMITTED, see everything committed by then, so they see those changes.
-- A mark not yet committed is not deleted and is done next time.  One
-- refresher per region at a time (advisory lock).  In a REPEATABLE READ or
-- SERIALIZABLE transaction the snapshot is fixed, and a read-only
-- transaction (or a hot standby) cannot write, so nothing is done there: the
-- figures are then those of the last refresh.
CREATE FUNCTION stat_refresh(p_region text) RETURNS integer
    LANGUAGE plpgsql
    SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    v_days date[];
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed'
       OR current_setting('transaction_read_only') = 'on' THEN
        RETURN 0;   -- a fixed snapshot, or a read-only transaction or standby
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('loket.stat_refresh'), hashtext(p_region));
    WITH gone AS (DELETE FROM stat_dirty WHERE region = p_region RETURNING day)
    SELECT array_agg(DISTINCT day) INTO v_days FROM gone;
    IF v_days IS NULL THEN
        RETURN 0;
    END IF;
    DELETE FROM stat_cohort WHERE region = p_region AND day = ANY (v_days);
    DELETE FROM stat_volume WHERE region = p_region AND day = ANY (v_days);
    DELETE FROM stat_outcome WHERE region = p_region AND day = ANY (v_days);
    DELETE FROM stat_item WHERE region = p_region AND day = ANY (v_days);

    -- one statement: the facts of each question of those days, counted four ways
    WITH f AS MATERIALIZED (
        SELECT q.id, d.day, q.organisation, q.topic, q.client_group, q.channel,
               coalesce(p.municipality, '') AS muni,
               question_informed(q.id) AS informed,
               coalesce(r.referred, false) AS referred, coalesce(r.accepted, false) AS accepted,
               coalesce(r.completed, false) AS completed, coalesce(r.returned, false) AS returned
          FROM unnest(v_days) AS d(day)
          JOIN question q ON q.region = p_region
                         AND q.created_at >= nl_start(d.day) AND q.created_at < nl_start(d.day + 1)
          LEFT JOIN postcode4 p ON p.postcode = q.postcode4
          LEFT JOIN LATERAL (
              SELECT bool_or(x.status <> 'withdrawn') AS referred,
                     bool_or(x.accepted_at IS NOT NULL) AS accepted,
                     bool_or(x.status = 'completed') AS completed,
                     bool_or(x.status = 'returned') AS returned
                FROM referral x WHERE x.question_id = q.id) r ON true
    ), cohort AS (
        INSERT INTO stat_cohort
        SELECT p_region, f.day, f.organisation, f.topic, count(*),
               count(*) FILTER (WHERE f.informed), count(*) FILTER (WHERE f.referred),
               count(*) FILTER (WHERE f.accepted), count(*) FILTER (WHERE f.completed),
               count(*) FILTER (WHERE f.returned)
          FROM f GROUP BY f.day, f.organisation, f.topic
    ), volume AS (
        INSERT INTO stat_volume
        SELECT p_region, f.day, v.dim, v.value, count(*)
          FROM f, LATERAL (VALUES ('org', f.organisation::text), ('topic', f.topic::text),
                                  ('group', f.client_group::text), ('channel', f.channel::text),
                                  ('muni', f.muni::text)) AS v(dim, value)
         GROUP BY f.day, v.dim, v.value
    ), outcome AS (
        INSERT INTO stat_outcome
        SELECT p_region, f.day, f.organisation, x.outcome, count(*)
          FROM f JOIN referral x ON x.question_id = f.id
         WHERE x.status = 'completed'
         GROUP BY f.day, f.organisation, x.outcome
    )
    INSERT INTO stat_item
    SELECT p_region, f.day, f.organisation, f.topic, v.item_id, count(DISTINCT f.id)
      FROM f
      JOIN info_given i ON i.question_id = f.id
      JOIN knowledge_version v ON v.id = i.knowledge_version_id
     GROUP BY f.day, f.organisation, f.topic, v.item_id;
    RETURN cardinality(v_days);
END $$;
REVOKE EXECUTE ON FUNCTION stat_refresh(text) FROM PUBLIC;

-- Every region, for the administrator and after seeding (db seed --cases).
CREATE FUNCTION stat_refresh_all() RETURNS integer
    LANGUAGE sql SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
    SELECT coalesce(sum(stat_refresh(code)), 0)::integer FROM region
$$;
REVOKE EXECUTE ON FUNCTION stat_refresh_all() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION stat_refresh_all() TO loket_admin;

-- Everything that exists now is to be counted.
INSERT INTO stat_dirty (region, day)
SELECT DISTINCT region, nl_day(created_at) FROM question;
SELECT stat_refresh_all();

------------------------------------------------------------------------------
-- The query language's count, compiled here from the parsed query
-- (src/query/lang.c, query_to_json): only the field names listed below
-- become SQL, and every value travels in the one text[] parameter $1.
--   {"terms": [{"field": "topic", "negated": false, "values": ["evc"]}, ...],
--    "count": true, "group": ["org", "topic"], "period": "week", "top": 10}

CREATE FUNCTION query_column(p_field text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN CASE p_field
        WHEN 'topic' THEN 'q.topic'
        WHEN 'org' THEN 'q.organisation'
        WHEN 'group' THEN 'q.client_group'
        WHEN 'channel' THEN 'q.channel'
        WHEN 'status' THEN 'q.status'
        WHEN 'muni' THEN 'p.municipality'
        WHEN 'referral' THEN 'lr.status'
        WHEN 'outcome' THEN 'lr.outcome'
    END;
END $$;

-- The SQL and its parameter for a query; p_region, when given, limits it to
-- a region (the supervisor's).  Errors are 22023 with what was wrong.
CREATE FUNCTION query_build(p_spec jsonb, p_count boolean, p_region text,
                            OUT o_sql text, OUT o_params text[])
    LANGUAGE plpgsql IMMUTABLE
    SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    t       jsonb;
    f       text;
    vals    text[];
    cond    text;
    col     text;
    n       integer;
    v_where text := '';
    v_cols  text := '';
    v_grp   text := '';
    v_ng    integer := 0;
    v_top   integer;
    v_per   text := p_spec->>'period';
    v_need_p  boolean;
    v_need_lr boolean;
BEGIN
    IF jsonb_typeof(p_spec) IS DISTINCT FROM 'object'
       OR jsonb_typeof(coalesce(p_spec->'terms', '[]')) <> 'array'
       OR jsonb_array_length(coalesce(p_spec->'terms', '[]')) > 32 THEN
        RAISE EXCEPTION 'query: expected an object with at most 32 terms' USING ERRCODE = '22023';
    END IF;
    o_params := ARRAY[p_region];
    IF p_region IS NOT NULL THEN
        v_where := ' AND q.region = $1[1]';
    END IF;
    FOR t IN SELECT e FROM jsonb_array_elements(coalesce(p_spec->'terms', '[]')) AS e LOOP
        f := t->>'field';
        IF jsonb_typeof(t->'values') IS DISTINCT FROM 'array' THEN
            RAISE EXCEPTION 'query: term % has no values', f USING ERRCODE = '22023';
        END IF;
        vals := ARRAY(SELECT jsonb_array_elements_text(t->'values'));
        IF cardinality(vals) NOT BETWEEN 1 AND 16 OR array_position(vals, NULL) IS NOT NULL THEN
            RAISE EXCEPTION 'query: term % needs 1 to 16 values', f USING ERRCODE = '22023';
        END IF;
        n := cardinality(o_params);
        o_params := o_params || vals;
        IF f IN ('text', 'since', 'until') AND cardinality(vals) <> 1 THEN
            RAISE EXCEPTION 'query: % takes one value', f USING ERRCODE = '22023';
        END IF;
        IF f IN ('since', 'until') AND vals[1] !~ '^\d{4}-\d{2}-\d{2}$' THEN
            RAISE EXCEPTION 'query: % needs a date like 2026-01-31', f USING ERRCODE = '22023';
        END IF;
        cond := CASE f
            WHEN 'text' THEN format(
                'to_tsvector(''dutch'', q.text) @@ websearch_to_tsquery(''dutch'', $1[%s])', n + 1)
            WHEN 'since' THEN format('q.created_at >= nl_start($1[%s]::date)', n + 1)
            WHEN 'until' THEN format('q.created_at < nl_start($1[%s]::date + 1)', n + 1)
            ELSE format('%s = ANY ($1[%s:%s])', query_column(f), n + 1, n + cardinality(vals))
        END;
        IF cond IS NULL THEN
            RAISE EXCEPTION 'query: unknown field %', coalesce(f, '(none)') USING ERRCODE = '22023';
        END IF;
        IF coalesce((t->>'negated')::boolean, false) THEN
            cond := format('NOT coalesce(%s, false)', cond);
        END IF;
        v_where := v_where || ' AND ' || cond;
    END LOOP;
    v_top := coalesce((p_spec->>'top')::integer, CASE WHEN p_count THEN 1000 ELSE 100 END);
    IF v_top NOT BETWEEN 1 AND 10000 THEN
        RAISE EXCEPTION 'query: top must be from 1 to 10000' USING ERRCODE = '22023';
    END IF;
    -- the municipality and the latest referral only when a term or the
    -- grouping asks for them (a list always shows both)
    v_need_p := NOT p_count
        OR jsonb_path_exists(p_spec, '$.terms[*] ? (@.field == "muni")')
        OR coalesce(p_spec->'group', '[]') ? 'muni';
    v_need_lr := NOT p_count
        OR jsonb_path_exists(p_spec, '$.terms[*] ? (@.field == "referral" || @.field == "outcome")')
        OR coalesce(p_spec->'group', '[]') ?| ARRAY['referral', 'outcome'];
    o_sql := ' FROM question q'
          || CASE WHEN v_need_p THEN ' LEFT JOIN postcode4 p ON p.postcode = q.postcode4' ELSE '' END
          || CASE WHEN v_need_lr THEN
                 ' LEFT JOIN LATERAL (SELECT r.status, r.outcome FROM referral r'
                 || ' WHERE r.question_id = q.id ORDER BY r.created_at DESC LIMIT 1) lr ON true'
             ELSE '' END
          || ' WHERE true' || v_where;
    IF NOT p_count THEN
        o_sql := 'SELECT q.number, to_char(nl_day(q.created_at), ''YYYY-MM-DD''),'
              || ' q.organisation::text, q.client_group::text, q.topic::text, q.channel::text,'
              || ' q.status, lr.status, p.municipality::text, q.text' || o_sql
              || format(' ORDER BY q.created_at DESC, q.id DESC LIMIT %s', v_top);
        RETURN;
    END IF;
    IF v_per IS NOT NULL AND v_per NOT IN ('week', 'month') THEN
        RAISE EXCEPTION 'query: period is week or month' USING ERRCODE = '22023';
    END IF;
    IF jsonb_typeof(coalesce(p_spec->'group', '[]')) <> 'array'
       OR jsonb_array_length(coalesce(p_spec->'group', '[]')) > 4 THEN
        RAISE EXCEPTION 'query: at most 4 fields to count by' USING ERRCODE = '22023';
    END IF;
    v_cols := CASE WHEN v_per IS NULL THEN 'NULL::date'
                   ELSE format('date_trunc(%L, q.created_at AT TIME ZONE ''Europe/Amsterdam'')::date',
                               v_per) END;
    FOR f IN SELECT jsonb_array_elements_text(coalesce(p_spec->'group', '[]')) LOOP
        col := query_column(f);
        IF col IS NULL THEN
            RAISE EXCEPTION 'query: cannot count by %', f USING ERRCODE = '22023';
        END IF;
        v_ng := v_ng + 1;
        v_cols := v_cols || ', ' || col || '::text';
    END LOOP;
    FOR n IN v_ng + 1 .. 4 LOOP
        v_cols := v_cols || ', NULL::text';
    END LOOP;
    o_sql := 'SELECT ' || v_cols || ', count(*)' || o_sql || ' GROUP BY 1, 2, 3, 4, 5';
    -- the caller orders and limits; its limit is the last parameter
    o_params := o_params || v_top::text;
END $$;

-- Rows of one's own cases (advisors, under their row-level security).
CREATE FUNCTION query_rows(p_spec jsonb)
    RETURNS TABLE (number integer, registered text, org text, "group" text, topic text,
                   channel text, status text, referral text, muni text, text text)
    LANGUAGE plpgsql STABLE
    SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    b record;
BEGIN
    IF NOT has_table_privilege('loket.question', 'SELECT') THEN
        RAISE EXCEPTION 'supervisors see counts, not questions: add count'
            USING ERRCODE = '42501';
    END IF;
    b := query_build(p_spec, false, NULL);
    RETURN QUERY EXECUTE b.o_sql USING b.o_params;
END $$;

-- Grouped counts, biggest first (or in time order); suppressed counts are
-- NULL and come last, in the order of their keys, so that their order
-- does not tell their size either.
CREATE FUNCTION query_counted(p_sql text, p_params text[], p_k integer, p_period boolean)
    RETURNS TABLE (period date, g1 text, g2 text, g3 text, g4 text, count bigint)
    LANGUAGE plpgsql STABLE
    SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    RETURN QUERY EXECUTE
        'SELECT c.p, c.a, c.b, c.c, c.d, suppress(c.n, $2) FROM (' || p_sql
        || ') AS c(p, a, b, c, d, n) ORDER BY '
        || CASE WHEN p_period THEN 'c.p, ' ELSE '' END
        || 'suppress(c.n, $2) DESC NULLS LAST, c.a, c.b, c.c, c.d'
        || ' LIMIT $1[cardinality($1)]::integer'
        USING p_params, p_k;
END $$;

-- The supervisor's count over the region.
CREATE FUNCTION query_count_region(p_spec jsonb)
    RETURNS TABLE (period date, g1 text, g2 text, g3 text, g4 text, count bigint)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    v_region text := supervisor_region();
    b record;
BEGIN
    b := query_build(p_spec, true, v_region);
    RETURN QUERY SELECT * FROM query_counted(
        b.o_sql, b.o_params, (SELECT suppress_below FROM region WHERE code = v_region),
        p_spec->>'period' IS NOT NULL);
END $$;
REVOKE EXECUTE ON FUNCTION query_count_region(jsonb) FROM PUBLIC;

-- Counts for whoever asks: a supervisor over the region (suppressed), an
-- advisor over what their own policies let them read (nothing to suppress:
-- they can read the rows).
CREATE FUNCTION query_count(p_spec jsonb)
    RETURNS TABLE (period date, g1 text, g2 text, g3 text, g4 text, count bigint)
    LANGUAGE plpgsql STABLE
    SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    b record;
BEGIN
    IF pg_has_role(current_user, 'loket_supervisor', 'MEMBER')
       AND NOT has_table_privilege('loket.question', 'SELECT') THEN
        RETURN QUERY SELECT * FROM query_count_region(p_spec);
        RETURN;
    END IF;
    b := query_build(p_spec, true, NULL);
    RETURN QUERY SELECT * FROM query_counted(b.o_sql, b.o_params, 1,
                                             p_spec->>'period' IS NOT NULL);
END $$;

REVOKE EXECUTE ON FUNCTION query_build(jsonb, boolean, text),
                           query_counted(text, text[], integer, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION query_build(jsonb, boolean, text),
                          query_counted(text, text[], integer, boolean), query_rows(jsonb),
                          query_count(jsonb)
    TO loket_advisor, loket_central, loket_supervisor;
GRANT EXECUTE ON FUNCTION query_count_region(jsonb) TO loket_supervisor;
