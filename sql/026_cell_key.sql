-- 026_cell_key: the counts supervisors see are perturbed by the cell-key
-- method, so that no count from 1 to suppress_below - 1 can be worked out
-- by differencing (issue 13, section 4; doc/reports.md, "Small counts").
--
-- Until now a count of 1 to 4 came back as NULL ("<5") but every other
-- count was exact, so `until:D` minus `until:D-1`, a count minus its
-- negated complement, or the region's total minus the rows shown gave the
-- hidden count.  Now, as in the Australian Bureau of Statistics'
-- TableBuilder (and CBS and Eurostat guidance):
--   * every counted row (question, referral, signal, information given,
--     offering given) has a record key, a random integer in [0, 2^31) set
--     by the server on insert and never changed; supervisors cannot read it;
--   * a cell's key is the sum of the record keys of its rows, mod M = 2^31
--     (the same rows always give the same key, however they were asked for);
--   * a fixed perturbation table maps the cell key to noise in [-2, 2]:
--     the key's tenth (key * 10 / M, 0..9) picks -2, -1, -1, 0, 0, 0, 0, 1,
--     1, 2 (ck_noise);
--   * what is shown (ck_show): 0 for no rows; "<k" (NULL) when the true
--     count is from 1 to k - 1 or the perturbed count is below k;
--     otherwise count + noise.  Totals, series, rates, trends and z-scores
--     are computed from the perturbed counts of their own cells.
-- Summary tables keep the sums of record keys beside the counts (sums add
-- up over days; a cell's key is their sum mod M), and the covering indexes
-- of the query counts include record_key, so that counts stay index-only.
--
-- Every figure a supervisor sees is logged first, in supervisor_log: a
-- supervisor asks (supervisor_ask: who, when, what, the parameters),
-- commits, and only then does the counting function answer (it looks for
-- that committed line).  So a question asked in a transaction that is
-- rolled back, or in a read-only one, is never answered unlogged.
SET LOCAL ROLE loket_owner;

------------------------------------------------------------------------------
-- Record keys.

-- A record key from the server's strong random source (gen_random_uuid);
-- random() is a per-session generator a user could predict.
CREATE FUNCTION record_key_new() RETURNS integer
    LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
    SELECT ('x' || left(gen_random_uuid()::text, 8))::bit(32)::integer & 2147483647
$$;

-- The server sets the key on insert, whatever the caller sends, and keeps it.
CREATE FUNCTION record_key_keep() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.record_key := record_key_new();
    ELSE
        NEW.record_key := OLD.record_key;
    END IF;
    RETURN NEW;
END $$;

ALTER TABLE question ADD COLUMN record_key integer NOT NULL DEFAULT record_key_new()
    CHECK (record_key >= 0);
ALTER TABLE referral ADD COLUMN record_key integer NOT NULL DEFAULT record_key_new()
    CHECK (record_key >= 0);
ALTER TABLE signal ADD COLUMN record_key integer NOT NULL DEFAULT record_key_new()
    CHECK (record_key >= 0);
ALTER TABLE info_given ADD COLUMN record_key integer NOT NULL DEFAULT record_key_new()
    CHECK (record_key >= 0);
ALTER TABLE offering_given ADD COLUMN record_key integer NOT NULL DEFAULT record_key_new()
    CHECK (record_key >= 0);
COMMENT ON COLUMN question.record_key IS
    'cell-key method (026): random, set by the server, sums to the key of a supervisor''s cell';

CREATE TRIGGER record_key BEFORE INSERT OR UPDATE OF record_key ON question
    FOR EACH ROW EXECUTE FUNCTION record_key_keep();
CREATE TRIGGER record_key BEFORE INSERT OR UPDATE OF record_key ON referral
    FOR EACH ROW EXECUTE FUNCTION record_key_keep();
CREATE TRIGGER record_key BEFORE INSERT OR UPDATE OF record_key ON signal
    FOR EACH ROW EXECUTE FUNCTION record_key_keep();
CREATE TRIGGER record_key BEFORE INSERT OR UPDATE OF record_key ON info_given
    FOR EACH ROW EXECUTE FUNCTION record_key_keep();
CREATE TRIGGER record_key BEFORE INSERT OR UPDATE OF record_key ON offering_given
    FOR EACH ROW EXECUTE FUNCTION record_key_keep();

-- The noise for a cell key (any sum of record keys): fixed, deterministic.
CREATE FUNCTION ck_noise(ck bigint) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT (ARRAY[-2, -1, -1, 0, 0, 0, 0, 1, 1, 2])[
               ((ck % 2147483648 + 2147483648) % 2147483648) * 10 / 2147483648 + 1]
$$;

-- A count n with cell key ck as a supervisor sees it, with threshold k:
-- 0 stays 0; NULL ("<k") when n is from 1 to k - 1 or n + noise is below k.
CREATE FUNCTION ck_show(n bigint, ck bigint, k integer) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN n IS NULL OR n <= 0 THEN n
                WHEN n < k OR n + ck_noise(coalesce(ck, 0)) < k THEN NULL
                ELSE n + ck_noise(coalesce(ck, 0)) END
$$;

-- The covering indexes of the supervisors' counts (017, 021) with the key.
DROP INDEX question_counts;
DROP INDEX question_counts_org;
DROP INDEX question_counts_topic;
CREATE INDEX question_counts ON question (region, created_at)
    INCLUDE (topic, organisation, client_group, channel, status, postcode4, record_key);
CREATE INDEX question_counts_org ON question (region, organisation, created_at)
    INCLUDE (topic, client_group, channel, status, postcode4, record_key);
CREATE INDEX question_counts_topic ON question (region, topic, created_at)
    INCLUDE (organisation, client_group, channel, status, postcode4, record_key);

------------------------------------------------------------------------------
-- The log of every supervisor's question.  Append-only: the owner's
-- definer function supervisor_ask() inserts; nobody updates or deletes (no
-- policy allows it, and a trigger refuses it).  The region's
-- administrators (loket_admin) read their region's lines; supervisors read
-- nothing of it.

CREATE TABLE supervisor_log (
    id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    role   name NOT NULL,                   -- the login role (session_user)
    region code NOT NULL REFERENCES region,
    what   text NOT NULL CHECK (what IN ('query', 'volume', 'funnel', 'pickup', 'consistency',
                                         'signals', 'knowledge')),
    args   jsonb NOT NULL CHECK (octet_length(args::text) <= 16000),
    xact   xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX supervisor_log_role ON supervisor_log (role, at);
CREATE INDEX supervisor_log_region ON supervisor_log (region, at);
COMMENT ON TABLE supervisor_log IS
    'every question a supervisor asked (026); append-only, read by the region''s administrators';

ALTER TABLE supervisor_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE supervisor_log FORCE ROW LEVEL SECURITY;
CREATE POLICY supervisor_log_owner_read ON supervisor_log FOR SELECT TO loket_owner
    USING (true);
CREATE POLICY supervisor_log_owner_add ON supervisor_log FOR INSERT TO loket_owner
    WITH CHECK (xact = pg_current_xact_id());
CREATE POLICY supervisor_log_admin ON supervisor_log FOR SELECT TO loket_admin
    USING (region = (SELECT my_region()));
GRANT SELECT ON supervisor_log TO loket_admin;

CREATE FUNCTION supervisor_log_append_only() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION 'the supervisors'' log is append-only' USING ERRCODE = '42501';
END $$;
CREATE TRIGGER supervisor_log_append_only BEFORE UPDATE OR DELETE ON supervisor_log
    FOR EACH ROW EXECUTE FUNCTION supervisor_log_append_only();
CREATE TRIGGER supervisor_log_no_truncate BEFORE TRUNCATE ON supervisor_log
    FOR EACH STATEMENT EXECUTE FUNCTION supervisor_log_append_only();

-- Log a question before asking it: what is query (args: the parsed query,
-- as query_count takes it) or a report name (args: the report function's
-- parameters, e.g. ["2026-03-01", "2026-03-31"]).  Returns false, logging
-- nothing, for a caller who is not a supervisor (advisors count their own
-- rows, exactly); so loket asks before every count, whoever runs it.
CREATE FUNCTION supervisor_ask(p_what text, p_args jsonb) RETURNS boolean
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    v text;
BEGIN
    SELECT a.region INTO v FROM advisor a
     WHERE a.role_name = session_user AND a.active AND 'supervisor' = ANY (a.roles)
       AND pg_has_role(session_user, 'loket_supervisor', 'MEMBER');
    IF v IS NULL THEN
        RETURN false;
    END IF;
    INSERT INTO supervisor_log (role, region, what, args)
    VALUES (session_user, v, p_what, coalesce(p_args, 'null'));
    RETURN true;
END $$;
REVOKE EXECUTE ON FUNCTION supervisor_ask(text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION supervisor_ask(text, jsonb)
    TO loket_advisor, loket_central, loket_supervisor, loket_editor, loket_admin;

-- The counting functions answer only what was logged, by a committed
-- transaction, in the last 10 minutes (the same question again within
-- them gives the same figures).  Only for functions that run as the owner.
CREATE FUNCTION supervisor_logged(p_what text, p_args jsonb) RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM supervisor_log l
                    WHERE l.role = session_user AND l.at > clock_timestamp() - interval '10 minutes'
                      AND l.what = p_what AND l.args = p_args
                      AND pg_xact_status(l.xact) = 'committed') THEN
        RAISE EXCEPTION 'supervisors'' figures are logged first'
            USING ERRCODE = '42501',
                  HINT = format('Run SELECT loket.supervisor_ask(%L, %L); on its own (committed), '
                                'then ask again.', p_what, p_args::text);
    END IF;
END $$;
REVOKE EXECUTE ON FUNCTION supervisor_logged(text, jsonb) FROM PUBLIC;

------------------------------------------------------------------------------
-- Summary tables: the sums of the record keys beside the counts.

ALTER TABLE stat_cohort
    ADD COLUMN k_registered bigint NOT NULL DEFAULT 0,
    ADD COLUMN k_informed   bigint NOT NULL DEFAULT 0,
    ADD COLUMN k_referred   bigint NOT NULL DEFAULT 0,
    ADD COLUMN k_accepted   bigint NOT NULL DEFAULT 0,
    ADD COLUMN k_completed  bigint NOT NULL DEFAULT 0,
    ADD COLUMN k_returned   bigint NOT NULL DEFAULT 0;
ALTER TABLE stat_volume ADD COLUMN keysum bigint NOT NULL DEFAULT 0;
ALTER TABLE stat_outcome ADD COLUMN keysum bigint NOT NULL DEFAULT 0;   -- referrals' keys
ALTER TABLE stat_item ADD COLUMN keysum bigint NOT NULL DEFAULT 0;      -- questions' keys

-- As in 015, with the sums of the keys.
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

    WITH f AS MATERIALIZED (
        SELECT q.id, q.record_key AS rk, d.day, q.organisation, q.topic, q.client_group,
               q.channel, coalesce(p.municipality, '') AS muni,
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
        INSERT INTO stat_cohort (region, day, organisation, topic, registered, informed,
                                 referred, accepted, completed, returned, k_registered,
                                 k_informed, k_referred, k_accepted, k_completed, k_returned)
        SELECT p_region, f.day, f.organisation, f.topic, count(*),
               count(*) FILTER (WHERE f.informed), count(*) FILTER (WHERE f.referred),
               count(*) FILTER (WHERE f.accepted), count(*) FILTER (WHERE f.completed),
               count(*) FILTER (WHERE f.returned),
               sum(f.rk), coalesce(sum(f.rk) FILTER (WHERE f.informed), 0),
               coalesce(sum(f.rk) FILTER (WHERE f.referred), 0),
               coalesce(sum(f.rk) FILTER (WHERE f.accepted), 0),
               coalesce(sum(f.rk) FILTER (WHERE f.completed), 0),
               coalesce(sum(f.rk) FILTER (WHERE f.returned), 0)
          FROM f GROUP BY f.day, f.organisation, f.topic
    ), volume AS (
        INSERT INTO stat_volume (region, day, dim, value, n, keysum)
        SELECT p_region, f.day, v.dim, v.value, count(*), sum(f.rk)
          FROM f, LATERAL (VALUES ('org', f.organisation::text), ('topic', f.topic::text),
                                  ('group', f.client_group::text), ('channel', f.channel::text),
                                  ('muni', f.muni::text)) AS v(dim, value)
         GROUP BY f.day, v.dim, v.value
    ), outcome AS (
        INSERT INTO stat_outcome (region, day, organisation, outcome, n, keysum)
        SELECT p_region, f.day, f.organisation, x.outcome, count(*), sum(x.record_key)
          FROM f JOIN referral x ON x.question_id = f.id
         WHERE x.status = 'completed'
         GROUP BY f.day, f.organisation, x.outcome
    )
    INSERT INTO stat_item (region, day, organisation, topic, item_id, n, keysum)
    SELECT p_region, g.day, g.organisation, g.topic, g.item_id, count(*), sum(g.rk)
      FROM (SELECT DISTINCT f.id, f.rk, f.day, f.organisation, f.topic, v.item_id
              FROM f
              JOIN info_given i ON i.question_id = f.id
              JOIN knowledge_version v ON v.id = i.knowledge_version_id) g
     GROUP BY g.day, g.organisation, g.topic, g.item_id;
    RETURN cardinality(v_days);
END $$;

-- Every summary row again, now with its keys.
INSERT INTO stat_dirty (region, day)
SELECT DISTINCT region, nl_day(created_at) FROM question;
SELECT stat_refresh_all();

------------------------------------------------------------------------------
-- The query language's count (015) with the cell key: the sum of the
-- record keys of each group's questions.

CREATE OR REPLACE FUNCTION query_build(p_spec jsonb, p_count boolean, p_region text,
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
    -- the count and the group's cell key (the sum of its record keys)
    o_sql := 'SELECT ' || v_cols || ', count(*), sum(q.record_key)' || o_sql
          || ' GROUP BY 1, 2, 3, 4, 5';
    o_params := o_params || v_top::text;
END $$;

-- Grouped counts, biggest first (or in time order), as shown: perturbed
-- (supervisors) or exact (advisors, who may read the rows).  Held-back
-- counts are NULL and come last, in the order of their keys.
DROP FUNCTION query_counted(text, text[], integer, boolean);
CREATE FUNCTION query_counted(p_sql text, p_params text[], p_k integer, p_period boolean,
                              p_perturb boolean)
    RETURNS TABLE (period date, g1 text, g2 text, g3 text, g4 text, count bigint)
    LANGUAGE plpgsql STABLE
    SET search_path = loket, pg_catalog, pg_temp
    SET parallel_setup_cost = 10000 AS $$
BEGIN
    RETURN QUERY EXECUTE
        'SELECT x.p, x.a, x.b, x.c, x.d, x.n FROM (SELECT c.p, c.a, c.b, c.c, c.d, '
        || CASE WHEN p_perturb THEN 'ck_show(c.n, c.k, $2)' ELSE 'c.n' END
        || ' AS n FROM (' || p_sql || ') AS c(p, a, b, c, d, n, k)) x ORDER BY '
        || CASE WHEN p_period THEN 'x.p, ' ELSE '' END
        || 'x.n DESC NULLS LAST, x.a, x.b, x.c, x.d'
        || ' LIMIT $1[cardinality($1)]::integer'
        USING p_params, p_k;
END $$;
REVOKE EXECUTE ON FUNCTION query_counted(text, text[], integer, boolean, boolean) FROM PUBLIC;

-- The supervisor's count over the region: logged first, then perturbed.
CREATE OR REPLACE FUNCTION query_count_region(p_spec jsonb)
    RETURNS TABLE (period date, g1 text, g2 text, g3 text, g4 text, count bigint)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    v_region text := supervisor_region();
    b record;
BEGIN
    PERFORM supervisor_logged('query', p_spec);
    b := query_build(p_spec, true, v_region);
    RETURN QUERY SELECT * FROM query_counted(
        b.o_sql, b.o_params, region_threshold(v_region), p_spec->>'period' IS NOT NULL, true);
END $$;

CREATE OR REPLACE FUNCTION query_count(p_spec jsonb)
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
                                             p_spec->>'period' IS NOT NULL, false);
END $$;
GRANT EXECUTE ON FUNCTION query_counted(text, text[], integer, boolean, boolean)
    TO loket_advisor, loket_central, loket_supervisor;

------------------------------------------------------------------------------
-- The reports (016, 019), each logged first and perturbed.

CREATE OR REPLACE FUNCTION report_volume(p_dim text, p_period text, p_since date, p_until date)
    RETURNS TABLE (value text, label text, total bigint, series bigint[], trend numeric,
                   first_period date)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_region text := supervisor_region();
    k integer := region_threshold(v_region);
    v_step interval;
    v_first date;
    v_periods date[];
    v_complete integer;
    h integer;
BEGIN
    PERFORM report_check_window(p_since, p_until);
    IF p_dim IS NULL OR p_dim NOT IN ('org', 'topic', 'group', 'channel', 'muni') THEN
        RAISE EXCEPTION 'report: volume by org, topic, group, channel or muni'
            USING ERRCODE = '22023';
    END IF;
    IF p_period IS NULL OR p_period NOT IN ('week', 'month') THEN
        RAISE EXCEPTION 'report: per week or month' USING ERRCODE = '22023';
    END IF;
    PERFORM supervisor_logged('volume', jsonb_build_array(p_dim, p_period, p_since, p_until));
    PERFORM stat_refresh(v_region);
    v_step := ('1 ' || p_period)::interval;
    v_first := date_trunc(p_period, p_since)::date;
    v_periods := ARRAY(SELECT g::date FROM generate_series(v_first, p_until, v_step) g);
    SELECT max(i), count(*) INTO v_complete, h
      FROM generate_subscripts(v_periods, 1) AS i
     WHERE v_periods[i] >= p_since AND (v_periods[i] + v_step)::date <= p_until + 1;
    h := coalesce(h, 0) / 2;
    RETURN QUERY
    WITH raw AS (
        SELECT s.value, date_trunc(p_period, s.day)::date AS p, sum(s.n)::bigint AS n,
               sum(s.keysum)::bigint AS ck
          FROM stat_volume s
         WHERE s.region = v_region AND s.dim = p_dim AND s.day BETWEEN p_since AND p_until
         GROUP BY 1, 2
    ), keyed AS (
        SELECT r.value, r.p, r.n, r.ck FROM raw r
        UNION ALL
        SELECT NULL, r.p, sum(r.n)::bigint, sum(r.ck)::bigint FROM raw r GROUP BY r.p
    ), grid AS (
        SELECT v.value, i AS idx, coalesce(x.n, 0) AS n, coalesce(x.ck, 0) AS ck
          FROM (SELECT DISTINCT kk.value FROM keyed kk) v
          CROSS JOIN generate_subscripts(v_periods, 1) AS i
          LEFT JOIN keyed x ON x.value IS NOT DISTINCT FROM v.value AND x.p = v_periods[i]
    ), rows AS (
        SELECT g.value, ck_show(sum(g.n)::bigint, sum(g.ck)::bigint, k) AS total,
               array_agg(ck_show(g.n, g.ck, k) ORDER BY g.idx) AS series,
               ck_show(sum(g.n) FILTER (WHERE g.idx > v_complete - 2 * h
                                          AND g.idx <= v_complete - h)::bigint,
                       sum(g.ck) FILTER (WHERE g.idx > v_complete - 2 * h
                                           AND g.idx <= v_complete - h)::bigint, k) AS a,
               ck_show(sum(g.n) FILTER (WHERE g.idx > v_complete - h AND g.idx <= v_complete)::bigint,
                       sum(g.ck) FILTER (WHERE g.idx > v_complete - h
                                           AND g.idx <= v_complete)::bigint, k) AS b
          FROM grid g GROUP BY g.value
    )
    SELECT r.value,
           CASE p_dim
               WHEN 'org' THEN (SELECT o.name::text FROM organisation o WHERE o.code = r.value)
               WHEN 'topic' THEN (SELECT t.label::text FROM topic t WHERE t.code = r.value)
               WHEN 'group' THEN (SELECT t.label::text FROM client_group t WHERE t.code = r.value)
               WHEN 'channel' THEN (SELECT t.label::text FROM channel t WHERE t.code = r.value)
               WHEN 'muni' THEN (SELECT m.name::text FROM municipality m WHERE m.code = r.value)
           END,
           r.total, r.series,
           CASE WHEN h > 0 AND r.a >= k AND r.b >= k THEN round((r.b - r.a)::numeric / r.a, 3) END,
           v_first
      FROM rows r
     ORDER BY r.value IS NOT NULL, r.total DESC NULLS LAST, r.value;
END $$;

CREATE OR REPLACE FUNCTION report_funnel(p_since date, p_until date)
    RETURNS TABLE (organisation text, name text, registered bigint, informed bigint,
                   referred bigint, accepted bigint, completed bigint, returned bigint)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_region text := supervisor_region();
    k integer := region_threshold(v_region);
BEGIN
    PERFORM report_check_window(p_since, p_until);
    PERFORM supervisor_logged('funnel', jsonb_build_array(p_since, p_until));
    PERFORM stat_refresh(v_region);
    RETURN QUERY
    SELECT c.organisation::text, (SELECT o.name::text FROM organisation o WHERE o.code = c.organisation),
           ck_show(sum(c.registered)::bigint, sum(c.k_registered)::bigint, k),
           ck_show(sum(c.informed)::bigint, sum(c.k_informed)::bigint, k),
           ck_show(sum(c.referred)::bigint, sum(c.k_referred)::bigint, k),
           ck_show(sum(c.accepted)::bigint, sum(c.k_accepted)::bigint, k),
           ck_show(sum(c.completed)::bigint, sum(c.k_completed)::bigint, k),
           ck_show(sum(c.returned)::bigint, sum(c.k_returned)::bigint, k)
      FROM stat_cohort c
     WHERE c.region = v_region AND c.day BETWEEN p_since AND p_until
     GROUP BY ROLLUP (c.organisation)
     ORDER BY c.organisation IS NOT NULL,
              ck_show(sum(c.registered)::bigint, sum(c.k_registered)::bigint, k) DESC NULLS LAST,
              c.organisation;
END $$;

CREATE OR REPLACE FUNCTION report_outcomes(p_since date, p_until date)
    RETURNS TABLE (organisation text, outcome text, label text, n bigint)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_region text := supervisor_region();
    k integer := region_threshold(v_region);
BEGIN
    PERFORM report_check_window(p_since, p_until);
    PERFORM supervisor_logged('funnel', jsonb_build_array(p_since, p_until));
    PERFORM stat_refresh(v_region);
    RETURN QUERY
    SELECT s.organisation::text, s.outcome::text,
           (SELECT t.label::text FROM referral_outcome t WHERE t.code = s.outcome),
           ck_show(sum(s.n)::bigint, sum(s.keysum)::bigint, k)
      FROM stat_outcome s
     WHERE s.region = v_region AND s.day BETWEEN p_since AND p_until
     GROUP BY GROUPING SETS ((s.organisation, s.outcome), (s.outcome))
     ORDER BY s.organisation IS NOT NULL, s.organisation,
              ck_show(sum(s.n)::bigint, sum(s.keysum)::bigint, k) DESC NULLS LAST, s.outcome;
END $$;

-- Pick-up: times are shown only when the count of referrals picked up, as
-- shown, is at least k.
CREATE OR REPLACE FUNCTION report_pickup(p_since date, p_until date)
    RETURNS TABLE (organisation text, name text, referrals bigint, picked_up bigint,
                   median_hours numeric, p90_hours numeric, waiting_now bigint,
                   overdue_now bigint)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_region text := supervisor_region();
    k integer := region_threshold(v_region);
BEGIN
    PERFORM report_check_window(p_since, p_until);
    PERFORM supervisor_logged('pickup', jsonb_build_array(p_since, p_until));
    RETURN QUERY
    WITH made AS (
        SELECT r.to_org, count(*) AS n, sum(r.record_key) AS nk, count(r.accepted_at) AS picked,
               coalesce(sum(r.record_key) FILTER (WHERE r.accepted_at IS NOT NULL), 0) AS pk,
               percentile_cont(0.5) WITHIN GROUP (
                   ORDER BY extract(epoch FROM r.accepted_at - r.created_at) / 3600) AS med,
               percentile_cont(0.9) WITHIN GROUP (
                   ORDER BY extract(epoch FROM r.accepted_at - r.created_at) / 3600) AS p90
          FROM referral r
         WHERE r.region = v_region AND r.status <> 'withdrawn'
           AND r.created_at >= nl_start(p_since) AND r.created_at < nl_start(p_until + 1)
         GROUP BY r.to_org
    ), open AS (
        SELECT r.to_org, count(*) AS waiting, sum(r.record_key) AS wk,
               count(*) FILTER (WHERE r.deadline < now()) AS late,
               coalesce(sum(r.record_key) FILTER (WHERE r.deadline < now()), 0) AS lk
          FROM referral r
         WHERE r.region = v_region AND r.status = 'sent'
         GROUP BY r.to_org
    ), shown AS (
        SELECT o.code, o.name, ck_show(coalesce(m.n, 0), m.nk, k) AS referrals,
               ck_show(coalesce(m.picked, 0), m.pk, k) AS picked_up, m.med, m.p90,
               ck_show(coalesce(w.waiting, 0), w.wk, k) AS waiting,
               ck_show(coalesce(w.late, 0), w.lk, k) AS late
          FROM organisation o
          LEFT JOIN made m ON m.to_org = o.code
          LEFT JOIN open w ON w.to_org = o.code
         WHERE o.region = v_region AND (m.to_org IS NOT NULL OR w.to_org IS NOT NULL)
    )
    SELECT s.code::text, s.name::text, s.referrals, s.picked_up,
           CASE WHEN s.picked_up >= k THEN round(s.med::numeric, 1) END,
           CASE WHEN s.picked_up >= k THEN round(s.p90::numeric, 1) END,
           s.waiting, s.late
      FROM shown s
     ORDER BY s.referrals DESC NULLS LAST, s.code;
END $$;

-- Consistency: every count (the organisation's and the rest of the
-- region's) perturbed as its own cell; shares and z-scores from those.
CREATE OR REPLACE FUNCTION report_consistency(p_since date, p_until date)
    RETURNS TABLE (topic text, organisation text, questions bigint,
                   referral_rate numeric, rest_referral_rate numeric, referral_z numeric,
                   info_rate numeric, rest_info_rate numeric, info_z numeric,
                   item text, item_rate numeric, rest_item_rate numeric, item_z numeric,
                   flags text[])
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_region text := supervisor_region();
    k integer := region_threshold(v_region);
BEGIN
    PERFORM report_check_window(p_since, p_until);
    PERFORM supervisor_logged('consistency', jsonb_build_array(p_since, p_until));
    PERFORM stat_refresh(v_region);
    RETURN QUERY
    WITH c AS (
        SELECT s.topic, s.organisation,
               sum(s.registered)::bigint AS n, sum(s.k_registered)::bigint AS nk,
               sum(s.referred)::bigint AS ref, sum(s.k_referred)::bigint AS refk,
               sum(s.informed)::bigint AS inf, sum(s.k_informed)::bigint AS infk
          FROM stat_cohort s
         WHERE s.region = v_region AND s.day BETWEEN p_since AND p_until
         GROUP BY 1, 2
    ), items AS (
        SELECT s.topic, s.organisation, s.item_id, sum(s.n)::bigint AS n, sum(s.keysum)::bigint AS nk
          FROM stat_item s
         WHERE s.region = v_region AND s.day BETWEEN p_since AND p_until
         GROUP BY 1, 2, 3
    ), top_item AS (
        SELECT DISTINCT ON (i.topic) i.topic, i.item_id
          FROM items i GROUP BY i.topic, i.item_id
         ORDER BY i.topic, sum(i.n) DESC, i.item_id
    ), t AS (
        SELECT c.*,
               (sum(c.n) OVER w - c.n)::bigint AS rn, (sum(c.nk) OVER w - c.nk)::bigint AS rnk,
               (sum(c.ref) OVER w - c.ref)::bigint AS rref,
               (sum(c.refk) OVER w - c.refk)::bigint AS rrefk,
               (sum(c.inf) OVER w - c.inf)::bigint AS rinf,
               (sum(c.infk) OVER w - c.infk)::bigint AS rinfk,
               ti.item_id, coalesce(it.n, 0) AS itm, coalesce(it.nk, 0) AS itmk,
               (sum(coalesce(it.n, 0)) OVER w - coalesce(it.n, 0))::bigint AS ritm,
               (sum(coalesce(it.nk, 0)) OVER w - coalesce(it.nk, 0))::bigint AS ritmk
          FROM c
          LEFT JOIN top_item ti ON ti.topic = c.topic
          LEFT JOIN items it ON it.topic = c.topic AND it.organisation = c.organisation
                            AND it.item_id = ti.item_id
        WINDOW w AS (PARTITION BY c.topic)
    ), p AS (   -- the counts as shown
        SELECT t.topic, t.organisation, t.item_id,
               ck_show(t.n, t.nk, k) AS n, ck_show(t.ref, t.refk, k) AS ref,
               ck_show(t.inf, t.infk, k) AS inf, ck_show(t.itm, t.itmk, k) AS itm,
               ck_show(t.rn, t.rnk, k) AS rn, ck_show(t.rref, t.rrefk, k) AS rref,
               ck_show(t.rinf, t.rinfk, k) AS rinf, ck_show(t.ritm, t.ritmk, k) AS ritm
          FROM t
    ), z AS (
        SELECT p.*,
               report_z(p.ref, p.n, p.rref, p.rn) AS zr,
               report_z(p.inf, p.n, p.rinf, p.rn) AS zi,
               report_z(p.itm, p.inf, p.ritm, p.rinf) AS zt,
               safe_rate(p.ref, p.n, k) AS pr, safe_rate(p.rref, p.rn, k) AS qr,
               safe_rate(p.inf, p.n, k) AS pi, safe_rate(p.rinf, p.rn, k) AS qi,
               safe_rate(p.itm, p.inf, k) AS pt, safe_rate(p.ritm, p.rinf, k) AS qt
          FROM p
    )
    SELECT z.topic::text, z.organisation::text, z.n,
           z.pr, z.qr, CASE WHEN z.pr IS NOT NULL AND z.qr IS NOT NULL THEN z.zr END,
           z.pi, z.qi, CASE WHEN z.pi IS NOT NULL AND z.qi IS NOT NULL THEN z.zi END,
           (SELECT i.slug::text FROM knowledge_item i WHERE i.id = z.item_id),
           z.pt, z.qt, CASE WHEN z.pt IS NOT NULL AND z.qt IS NOT NULL THEN z.zt END,
           array_remove(ARRAY[
               report_flag(z.pr, z.qr, z.zr, 'refers'),
               report_flag(z.pi, z.qi, z.zi, 'informs'),
               report_flag(z.pt, z.qt, z.zt, 'item')], NULL)
      FROM z
     ORDER BY z.topic, z.n DESC NULLS LAST, z.organisation;
END $$;

CREATE OR REPLACE FUNCTION report_signals(p_since date, p_until date)
    RETURNS TABLE (dim text, value text, label text, n bigint)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_region text := supervisor_region();
    k integer := region_threshold(v_region);
BEGIN
    PERFORM report_check_window(p_since, p_until);
    PERFORM supervisor_logged('signals', jsonb_build_array(p_since, p_until));
    RETURN QUERY
    WITH s AS (
        SELECT x.kind, x.topic::text AS topic, lower(btrim(x.sector)) AS sector,
               x.municipality::text AS muni, x.record_key AS rk
          FROM signal x
         WHERE x.region = v_region
           AND x.created_at >= nl_start(p_since) AND x.created_at < nl_start(p_until + 1)
    ), counted AS (
        SELECT d.dim, d.value, ck_show(count(*), sum(s.rk), k) AS n
          FROM s, LATERAL (VALUES ('kind', s.kind), ('topic', s.topic),
                                  ('sector', coalesce(s.sector, '')),
                                  ('muni', coalesce(s.muni, ''))) AS d(dim, value)
         GROUP BY 1, 2
    )
    SELECT c.dim, c.value,
           CASE c.dim
               WHEN 'topic' THEN (SELECT t.label::text FROM topic t WHERE t.code = c.value)
               WHEN 'muni' THEN (SELECT m.name::text FROM municipality m WHERE m.code = c.value)
           END,
           c.n
      FROM counted c
     ORDER BY array_position(ARRAY['kind', 'topic', 'sector', 'muni'], c.dim),
              c.n DESC NULLS LAST, c.value;
END $$;

CREATE OR REPLACE FUNCTION report_signal_examples(p_since date, p_until date, p_limit integer)
    RETURNS TABLE (day date, kind text, topic text, sector text, muni text,
                   organisation text, text text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_region text := supervisor_region();
BEGIN
    PERFORM report_check_window(p_since, p_until);
    PERFORM supervisor_logged('signals', jsonb_build_array(p_since, p_until));
    RETURN QUERY
    SELECT nl_day(x.created_at), x.kind, x.topic::text, x.sector,
           (SELECT m.name::text FROM municipality m WHERE m.code = x.municipality),
           x.organisation::text, x.text
      FROM signal x
     WHERE x.region = v_region
       AND x.created_at >= nl_start(p_since) AND x.created_at < nl_start(p_until + 1)
     ORDER BY x.created_at DESC, x.id
     LIMIT least(greatest(coalesce(p_limit, 10), 1), 50);
END $$;

CREATE OR REPLACE FUNCTION report_knowledge(p_since date, p_until date)
    RETURNS TABLE (slug text, title text, given bigint, given_late bigint,
                   review_by date, past_review boolean, retired boolean)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_region text := supervisor_region();
    k integer := region_threshold(v_region);
BEGIN
    PERFORM report_check_window(p_since, p_until);
    PERFORM supervisor_logged('knowledge', jsonb_build_array(p_since, p_until));
    RETURN QUERY
    WITH g AS (
        SELECT v.item_id, count(*) AS n, sum(i.record_key) AS nk,
               count(*) FILTER (WHERE nl_day(i.given_at) > v.review_by) AS late,
               coalesce(sum(i.record_key) FILTER (WHERE nl_day(i.given_at) > v.review_by), 0) AS lk
          FROM info_given i JOIN knowledge_version v ON v.id = i.knowledge_version_id
         WHERE i.given_at >= nl_start(p_since) AND i.given_at < nl_start(p_until + 1)
         GROUP BY v.item_id
    ), shown AS (
        SELECT ki.slug, cur.title, ck_show(coalesce(g.n, 0), g.nk, k) AS given,
               ck_show(coalesce(g.late, 0), g.lk, k) AS late, cur.review_by,
               ki.retired_at IS NOT NULL AS retired
          FROM knowledge_item ki
          JOIN LATERAL (SELECT v.title, v.review_by FROM knowledge_version v
                         WHERE v.item_id = ki.id ORDER BY v.version_no DESC LIMIT 1) cur ON true
          LEFT JOIN g ON g.item_id = ki.id
         WHERE ki.region = v_region AND (g.item_id IS NOT NULL OR ki.retired_at IS NULL)
    )
    SELECT s.slug::text, s.title, s.given, s.late, s.review_by, s.review_by < nl_day(now()),
           s.retired
      FROM shown s
     ORDER BY s.given DESC NULLS LAST, s.slug;
END $$;

CREATE OR REPLACE FUNCTION report_offerings(p_since date, p_until date)
    RETURNS TABLE (name text, organization text, given bigint, withdrawn boolean)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_region text := supervisor_region();
    k integer := region_threshold(v_region);
BEGIN
    PERFORM report_check_window(p_since, p_until);
    PERFORM supervisor_logged('knowledge', jsonb_build_array(p_since, p_until));
    RETURN QUERY
    SELECT o.name, o.organization, ck_show(count(*), sum(g.record_key), k),
           o.withdrawn_at IS NOT NULL
      FROM offering_given g JOIN offering o ON o.id = g.offering_id
     WHERE o.region = v_region
       AND g.given_at >= nl_start(p_since) AND g.given_at < nl_start(p_until + 1)
     GROUP BY o.id
     ORDER BY ck_show(count(*), sum(g.record_key), k) DESC NULLS LAST, o.name, o.id
     LIMIT 50;
END $$;
