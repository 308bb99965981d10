-- 030_summary_counts: the query language's counts over all time answer
-- from summary tables where those carry every field the query uses, and its
-- text words are looked up in question_fts (028) (issue 15, point 4).
--
-- A count without since: (`topic:financiering count by org`) read every
-- index entry of the region's questions with that topic: ~100,000 at
-- 1,000,000 questions, 166 ms for the whole command against a budget of
-- 100 ms.  The summaries of 015/026 already hold what such a count needs,
-- per day: stat_cohort the questions per organisation and topic
-- (registered, and the sum of their record keys), stat_volume the
-- questions per value of one dimension at a time (org, topic, group,
-- channel, muni).  So a count whose terms and groups use only
--   org and topic                       is read from stat_cohort,
--   one of org, topic, group, channel,
--   muni (filters and groups alike)     is read from stat_volume,
-- with since: and until: as days, after stat_refresh() has brought the
-- region's changed days up to date (as every report does).  The figures
-- are the same as counting the questions: the same rows per group, and the
-- same cell key (the sum of their record keys), so the same noise
-- (tests/db/test_summary_count).  Any other field (status, referral,
-- outcome, text) still counts the questions.
--
-- An advisor's or the central point's count was worse: under the question
-- policies (own organisation OR referred to it) every one of the 1,000,000
-- rows was read, 1-4 s.  Two more summaries count the same per reader, the
-- organisation whose advisors read the question under those policies (its
-- own, and the target of every referral that is not withdrawn, as
-- question_fts.readers in 028): stat_reader_cohort and stat_reader_volume,
-- kept by stat_refresh() with the others.  query_count_reader() (definer)
-- answers from them for the caller's organisation, found as question_search
-- finds it (question_search_org, 028); exact counts, as before, since
-- advisors may read the rows.  A caller without such an organisation, or a
-- query the summaries cannot answer, counts the rows under the policies.
--
-- Text words: query_build() matched to_tsvector('dutch', q.text) against
-- the words, which only the owner could look up in question_text_fts (003);
-- under the advisors' row-level security @@ is not leakproof, so their
-- counts read every row they may see (4 s for a rare word).  Now
--   - the supervisors' count (run as the owner) looks the words up in
--     question_fts, whose words are the same tsvector;
--   - an advisor's count asks query_text_ids() (definer) for the matching
--     questions among those its organisation reads (question_fts.readers,
--     the policies' rows: tests/db/test_search), by the GIN index;
--   - an advisor's list of rows (newest 100) still walks its rows newest
--     first and matches their text, which finds common words at once.
-- Nothing reads question_text_fts any more: dropped, one GIN index less to
-- keep up on every question written.
--
-- Writing questions (`db seed --cases 1000000`: 89 s before 028, 141-192 s
-- after): besides that second GIN index, question_fts's triggers called
-- question_readers() once per question written and once per question
-- referred, a function with its own search_path that is never inlined
-- (1,250,000 calls for the seed).  They now work out the readers in their
-- own statement, the same expression.
SET LOCAL ROLE loket_owner;

DROP INDEX question_text_fts;

-- As in 028, with the readers worked out in the statement (question_readers
-- is the same expression, for one question).
CREATE OR REPLACE FUNCTION question_fts_sync() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO question_fts (question_id, created_at, readers, words)
        SELECT n.id, n.created_at,
               ARRAY[n.organisation::text]
               || coalesce((SELECT array_agg(DISTINCT r.to_org::text) FROM referral r
                             WHERE r.question_id = n.id AND r.status <> 'withdrawn'
                               AND r.to_org <> n.organisation), '{}'),
               to_tsvector('dutch', n.text)
          FROM fts_new n
        ON CONFLICT (question_id) DO NOTHING;
    ELSE
        INSERT INTO question_fts (question_id, created_at, readers, words)
        SELECT n.id, n.created_at,
               ARRAY[n.organisation::text]
               || coalesce((SELECT array_agg(DISTINCT r.to_org::text) FROM referral r
                             WHERE r.question_id = n.id AND r.status <> 'withdrawn'
                               AND r.to_org <> n.organisation), '{}'),
               to_tsvector('dutch', n.text)
          FROM fts_new n JOIN fts_old o ON o.id = n.id
         WHERE (n.text, n.organisation, n.created_at)
               IS DISTINCT FROM (o.text, o.organisation, o.created_at)
        ON CONFLICT (question_id) DO UPDATE
           SET created_at = EXCLUDED.created_at, readers = EXCLUDED.readers,
               words = EXCLUDED.words;
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION question_fts_readers() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    v_ids uuid[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        v_ids := ARRAY(SELECT DISTINCT n.question_id FROM fts_new n);
    ELSE
        v_ids := ARRAY(
            SELECT DISTINCT x.id
              FROM fts_new n JOIN fts_old o ON o.id = n.id,
                   unnest(ARRAY[n.question_id, o.question_id]) AS x(id)
             WHERE (n.question_id, n.to_org, n.status = 'withdrawn')
                   IS DISTINCT FROM (o.question_id, o.to_org, o.status = 'withdrawn'));
    END IF;
    UPDATE question_fts f SET readers = w.readers
      FROM (SELECT q.id,
                   ARRAY[q.organisation::text]
                   || coalesce(array_agg(DISTINCT r.to_org::text)
                                   FILTER (WHERE r.to_org <> q.organisation), '{}') AS readers
              FROM unnest(v_ids) AS t(id)
              JOIN question q ON q.id = t.id
              LEFT JOIN referral r ON r.question_id = q.id AND r.status <> 'withdrawn'
             GROUP BY q.id, q.organisation) w
     WHERE f.question_id = w.id AND f.readers IS DISTINCT FROM w.readers;
    RETURN NULL;
END $$;

------------------------------------------------------------------------------
-- Per reader: the questions an organisation's advisors read under the
-- question policies, per day, as stat_cohort and stat_volume count them.

CREATE TABLE stat_reader_cohort (
    region       code NOT NULL,
    day          date NOT NULL,
    reader       code NOT NULL,
    organisation code NOT NULL,
    topic        code NOT NULL,
    n            integer NOT NULL,
    PRIMARY KEY (reader, day, organisation, topic, region)
);
CREATE TABLE stat_reader_volume (
    region code NOT NULL,
    day    date NOT NULL,
    reader code NOT NULL,
    dim    text NOT NULL CHECK (dim IN ('org', 'topic', 'group', 'channel', 'muni')),
    value  text NOT NULL,   -- '' for an unknown municipality
    n      integer NOT NULL,
    PRIMARY KEY (reader, dim, day, value, region)
);
CREATE INDEX stat_reader_cohort_day ON stat_reader_cohort (region, day);
CREATE INDEX stat_reader_volume_day ON stat_reader_volume (region, day);
REVOKE ALL ON stat_reader_cohort, stat_reader_volume FROM PUBLIC;

-- As in 026, with the readers' summaries.
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
    DELETE FROM stat_reader_cohort WHERE region = p_region AND day = ANY (v_days);
    DELETE FROM stat_reader_volume WHERE region = p_region AND day = ANY (v_days);
    PERFORM stat_refresh_days(p_region, v_days);
    RETURN cardinality(v_days);
END $$;

-- The summary rows of those days of a region (026's statement, and the
-- readers': the question's organisation and its referrals' targets).
CREATE FUNCTION stat_refresh_days(p_region text, p_days date[]) RETURNS void
    LANGUAGE sql
    SET search_path = loket, pg_catalog, pg_temp AS $$
    WITH f AS MATERIALIZED (
        SELECT q.id, q.record_key AS rk, d.day, q.organisation, q.topic, q.client_group,
               q.channel, coalesce(p.municipality, '') AS muni,
               question_informed(q.id) AS informed,
               coalesce(r.referred, false) AS referred, coalesce(r.accepted, false) AS accepted,
               coalesce(r.completed, false) AS completed, coalesce(r.returned, false) AS returned,
               ARRAY[q.organisation::text] || coalesce(r.targets, '{}') AS readers
          FROM unnest(p_days) AS d(day)
          JOIN question q ON q.region = p_region
                         AND q.created_at >= nl_start(d.day) AND q.created_at < nl_start(d.day + 1)
          LEFT JOIN postcode4 p ON p.postcode = q.postcode4
          LEFT JOIN LATERAL (
              SELECT bool_or(x.status <> 'withdrawn') AS referred,
                     bool_or(x.accepted_at IS NOT NULL) AS accepted,
                     bool_or(x.status = 'completed') AS completed,
                     bool_or(x.status = 'returned') AS returned,
                     array_agg(DISTINCT x.to_org::text)
                         FILTER (WHERE x.status <> 'withdrawn' AND x.to_org <> q.organisation)
                         AS targets
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
    ), dims AS MATERIALIZED (   -- per day, set of readers and value: a few per question
        SELECT f.day, f.readers, v.dim, v.value, count(*) AS n, sum(f.rk) AS rk
          FROM f, LATERAL (VALUES ('org', f.organisation::text), ('topic', f.topic::text),
                                  ('group', f.client_group::text), ('channel', f.channel::text),
                                  ('muni', f.muni::text)) AS v(dim, value)
         GROUP BY f.day, f.readers, v.dim, v.value
    ), volume AS (
        INSERT INTO stat_volume (region, day, dim, value, n, keysum)
        SELECT p_region, d.day, d.dim, d.value, sum(d.n), sum(d.rk)
          FROM dims d GROUP BY d.day, d.dim, d.value
    ), reader_cohort AS (
        INSERT INTO stat_reader_cohort (region, day, reader, organisation, topic, n)
        SELECT p_region, f.day, w.reader, f.organisation, f.topic, count(*)
          FROM f, unnest(f.readers) AS w(reader)
         GROUP BY f.day, w.reader, f.organisation, f.topic
    ), reader_volume AS (
        INSERT INTO stat_reader_volume (region, day, reader, dim, value, n)
        SELECT p_region, d.day, w.reader, d.dim, d.value, sum(d.n)
          FROM dims d, unnest(d.readers) AS w(reader)
         GROUP BY d.day, w.reader, d.dim, d.value
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
     GROUP BY g.day, g.organisation, g.topic, g.item_id
$$;
REVOKE EXECUTE ON FUNCTION stat_refresh_days(text, date[]) FROM PUBLIC;

-- Every summary row again, now with the readers'.
INSERT INTO stat_dirty (region, day)
SELECT DISTINCT region, nl_day(created_at) FROM question;
SELECT stat_refresh_all();

-- The questions whose words match p_search (websearch_to_tsquery, Dutch)
-- among those the caller reads under the question policies (question_fts's
-- readers, as question_search reads them), by the GIN index: for an
-- advisor's count with a text term, which under the policies walked every
-- row (4 s for a rare word at 1,000,000 questions).
CREATE FUNCTION query_text_ids(p_search text) RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
    SELECT f.question_id FROM question_fts f
     WHERE f.words @@ websearch_to_tsquery('dutch', coalesce(p_search, ''))
       AND f.readers @> ARRAY[(SELECT question_search_org())]
$$;
REVOKE EXECUTE ON FUNCTION query_text_ids(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION query_text_ids(text) TO loket_advisor, loket_central;

-- The condition of one term for query_build: values at $1[p_from:p_to].
-- p_how: 'owner' (the supervisors' count, run as the owner, which reads
-- question_fts), 'count' (an advisor's count: text by query_text_ids) or
-- 'rows' (an advisor's list, newest first: the text of each row walked).
CREATE FUNCTION query_cond(p_field text, p_from integer, p_to integer, p_how text)
    RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    RETURN CASE
        WHEN p_field = 'text' AND p_how = 'owner' THEN format(
            'EXISTS (SELECT 1 FROM question_fts f WHERE f.question_id = q.id'
            ' AND f.words @@ websearch_to_tsquery(''dutch'', $1[%s]))', p_from)
        WHEN p_field = 'text' AND p_how = 'count' THEN format(
            'q.id IN (SELECT query_text_ids($1[%s]))', p_from)
        WHEN p_field = 'text' THEN format(
            'to_tsvector(''dutch'', q.text) @@ websearch_to_tsquery(''dutch'', $1[%s])', p_from)
        WHEN p_field = 'since' THEN format('q.created_at >= nl_start($1[%s]::date)', p_from)
        WHEN p_field = 'until' THEN format('q.created_at < nl_start($1[%s]::date + 1)', p_from)
        ELSE format('%s = ANY ($1[%s:%s])', query_column(p_field), p_from, p_to)
    END;
END $$;

-- As in 026, with the terms' conditions from query_cond().
CREATE OR REPLACE FUNCTION query_build(p_spec jsonb, p_count boolean, p_region text,
                                       OUT o_sql text, OUT o_params text[])
    LANGUAGE plpgsql IMMUTABLE
    SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    t       jsonb;
    f       text;
    vals    text[];
    cond    text;
    n       integer;
    v_where text := '';
    v_cols  text := '';
    v_top   integer;
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
        cond := query_cond(f, n + 1, n + cardinality(vals),
                           CASE WHEN p_region IS NOT NULL THEN 'owner'
                                WHEN p_count THEN 'count' ELSE 'rows' END);
        IF coalesce((t->>'negated')::boolean, false) THEN
            cond := format('NOT coalesce(%s, false)', cond);
        END IF;
        v_where := v_where || ' AND ' || cond;
    END LOOP;
    v_top := coalesce((p_spec->>'top')::integer, CASE WHEN p_count THEN 1000 ELSE 100 END);
    IF v_top NOT BETWEEN 1 AND 10000 THEN
        RAISE EXCEPTION 'query: top must be from 1 to 10000' USING ERRCODE = '22023';
    END IF;
    o_sql := query_from(p_spec, p_count) || ' WHERE true' || v_where;
    IF NOT p_count THEN
        o_sql := 'SELECT q.number, to_char(nl_day(q.created_at), ''YYYY-MM-DD''),'
              || ' q.organisation::text, q.client_group::text, q.topic::text, q.channel::text,'
              || ' q.status, lr.status, p.municipality::text, q.text' || o_sql
              || format(' ORDER BY q.created_at DESC, q.id DESC LIMIT %s', v_top);
        RETURN;
    END IF;
    v_cols := query_columns(p_spec);
    -- the count and the group's cell key (the sum of its record keys)
    o_sql := 'SELECT ' || v_cols || ', count(*), sum(q.record_key)' || o_sql
          || ' GROUP BY 1, 2, 3, 4, 5';
    o_params := o_params || v_top::text;
END $$;

-- The grouping columns of a count for query_build: the period (or NULL)
-- and four fields (NULL for those not asked for); 22023 for a wrong one.
CREATE FUNCTION query_columns(p_spec jsonb) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    f      text;
    col    text;
    n      integer;
    v_ng   integer := 0;
    v_per  text := p_spec->>'period';
    v_cols text;
BEGIN
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
    RETURN v_cols;
END $$;

-- The FROM of query_build: the municipality and the latest referral only
-- when a term or the grouping asks for them (a list always shows both).
CREATE FUNCTION query_from(p_spec jsonb, p_count boolean) RETURNS text
    LANGUAGE sql IMMUTABLE
    SET search_path = loket, pg_catalog, pg_temp AS $$
    SELECT ' FROM question q'
        || CASE WHEN NOT p_count
                     OR jsonb_path_exists(p_spec, '$.terms[*] ? (@.field == "muni")')
                     OR coalesce(p_spec->'group', '[]') ? 'muni'
                THEN ' LEFT JOIN postcode4 p ON p.postcode = q.postcode4' ELSE '' END
        || CASE WHEN NOT p_count
                     OR jsonb_path_exists(p_spec,
                            '$.terms[*] ? (@.field == "referral" || @.field == "outcome")')
                     OR coalesce(p_spec->'group', '[]') ?| ARRAY['referral', 'outcome']
                THEN ' LEFT JOIN LATERAL (SELECT r.status, r.outcome FROM referral r'
                     || ' WHERE r.question_id = q.id ORDER BY r.created_at DESC LIMIT 1) lr ON true'
                ELSE '' END
$$;

-- A field's column in the summary table (s): stat_cohort's organisation
-- and topic, or stat_volume's value (NULL for an unknown municipality, as
-- the LEFT JOIN of postcode4 gives the count).
CREATE FUNCTION query_summary_column(p_field text, p_cohort boolean) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN p_cohort AND p_field = 'org' THEN 's.organisation'
                WHEN p_cohort AND p_field = 'topic' THEN 's.topic'
                WHEN p_field = 'muni' THEN 'nullif(s.value, '''')'
                ELSE 's.value' END
$$;

-- The count of a query (already checked by query_build, same parameters:
-- $1[1] the region, or for p_reader the reading organisation; the terms'
-- values in order; the limit last) from the summary tables, in
-- query_build's columns (the cell key NULL for a reader, whose counts are
-- exact); NULL when the summaries do not carry a field it uses.
CREATE FUNCTION query_summary(p_spec jsonb, p_reader boolean) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    t        jsonb;
    n        integer := 1;   -- the values used so far ($1[1])
    k        integer;
    cond     text;
    v_group  text[] := ARRAY(SELECT jsonb_array_elements_text(coalesce(p_spec->'group', '[]')));
    v_used   text[];
    v_cohort boolean;
    v_where  text := CASE WHEN p_reader THEN ' WHERE s.reader = $1[1]'
                          ELSE ' WHERE s.region = $1[1]' END;
    v_cols   text;
BEGIN
    v_used := v_group || ARRAY(SELECT e->>'field' FROM jsonb_array_elements(p_spec->'terms') e
                                WHERE e->>'field' NOT IN ('since', 'until'));
    IF NOT v_used <@ ARRAY['org', 'topic', 'group', 'channel', 'muni'] THEN
        RETURN NULL;
    END IF;
    v_cohort := v_used <@ ARRAY['org', 'topic'];
    IF NOT v_cohort AND NOT v_used <@ ARRAY[v_used[1]] THEN
        RETURN NULL;   -- two dimensions, one of them not in stat_cohort
    END IF;
    IF NOT v_cohort THEN
        v_where := v_where || format(' AND s.dim = %L', v_used[1]);
    END IF;
    FOR t IN SELECT e FROM jsonb_array_elements(p_spec->'terms') AS e LOOP
        k := jsonb_array_length(t->'values');
        cond := CASE t->>'field'
            WHEN 'since' THEN format('s.day >= $1[%s]::date', n + 1)
            WHEN 'until' THEN format('s.day <= $1[%s]::date', n + 1)
            ELSE format('%s = ANY ($1[%s:%s])',
                        query_summary_column(t->>'field', v_cohort), n + 1, n + k)
        END;
        IF coalesce((t->>'negated')::boolean, false) THEN
            cond := format('NOT coalesce(%s, false)', cond);
        END IF;
        v_where := v_where || ' AND ' || cond;
        n := n + k;
    END LOOP;
    v_cols := CASE WHEN p_spec->>'period' IS NULL THEN 'NULL::date'
                   ELSE format('date_trunc(%L, s.day::timestamp)::date', p_spec->>'period') END;
    FOR k IN 1 .. 4 LOOP
        v_cols := v_cols || CASE WHEN k <= cardinality(v_group)
                                 THEN ', ' || query_summary_column(v_group[k], v_cohort) || '::text'
                                 ELSE ', NULL::text' END;
    END LOOP;
    RETURN 'SELECT ' || v_cols || ', '
        || CASE WHEN p_reader AND v_cohort THEN 'sum(s.n)::bigint, NULL::bigint FROM stat_reader_cohort s'
                WHEN p_reader THEN 'sum(s.n)::bigint, NULL::bigint FROM stat_reader_volume s'
                WHEN v_cohort THEN 'sum(s.registered)::bigint, sum(s.k_registered)::bigint FROM stat_cohort s'
                ELSE 'sum(s.n)::bigint, sum(s.keysum)::bigint FROM stat_volume s' END
        || v_where || ' GROUP BY 1, 2, 3, 4, 5';
END $$;
REVOKE EXECUTE ON FUNCTION query_cond(text, integer, integer, text),
                           query_from(jsonb, boolean), query_columns(jsonb),
                           query_summary_column(text, boolean),
                           query_summary(jsonb, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION query_cond(text, integer, integer, text), query_from(jsonb, boolean),
                          query_columns(jsonb),
                          query_summary_column(text, boolean), query_summary(jsonb, boolean)
    TO loket_advisor, loket_central, loket_supervisor;

-- The supervisor's count over the region: logged first, then from the
-- summaries (brought up to date first) when they carry the query's
-- fields, else from the questions; perturbed.  Volatile now: it refreshes.
CREATE OR REPLACE FUNCTION query_count_region(p_spec jsonb)
    RETURNS TABLE (period date, g1 text, g2 text, g3 text, g4 text, count bigint)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    v_region text := supervisor_region();
    b record;
    v_sum text;
BEGIN
    PERFORM supervisor_logged('query', p_spec);
    b := query_build(p_spec, true, v_region);
    v_sum := query_summary(p_spec, false);
    IF v_sum IS NOT NULL THEN
        PERFORM stat_refresh(v_region);
    END IF;
    RETURN QUERY SELECT * FROM query_counted(
        coalesce(v_sum, b.o_sql), b.o_params, region_threshold(v_region),
        p_spec->>'period' IS NOT NULL, true);
END $$;

-- An advisor's or the central point's count from the readers' summaries:
-- the questions its organisation reads under the question policies (the
-- organisation found as question_search finds it), exact.  Nothing for a
-- caller without one; query_count() only comes here for a caller with one
-- and a query the summaries answer.
CREATE FUNCTION query_count_reader(p_spec jsonb)
    RETURNS TABLE (period date, g1 text, g2 text, g3 text, g4 text, count bigint)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    v_org text := question_search_org();
    b record;
    v_sum text := query_summary(p_spec, true);
BEGIN
    b := query_build(p_spec, true, NULL);
    IF v_org IS NULL OR v_sum IS NULL THEN
        RETURN;
    END IF;
    -- a question of another region may be referred to the organisation
    PERFORM stat_refresh(r.code) FROM region r;
    RETURN QUERY SELECT * FROM query_counted(v_sum, v_org || b.o_params[2:], 1,
                                             p_spec->>'period' IS NOT NULL, false);
END $$;
REVOKE EXECUTE ON FUNCTION query_count_reader(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION query_count_reader(jsonb) TO loket_advisor, loket_central;

-- Whether the caller reads questions as an organisation's advisor (so that
-- query_count_reader answers for it).
CREATE FUNCTION query_by_reader() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
    SELECT question_search_org() IS NOT NULL
$$;
REVOKE EXECUTE ON FUNCTION query_by_reader() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION query_by_reader() TO loket_advisor, loket_central;

-- As in 026, and an advisor's count from the readers' summaries when they
-- answer it; volatile, as the summaries are brought up to date first.
CREATE OR REPLACE FUNCTION query_count(p_spec jsonb)
    RETURNS TABLE (period date, g1 text, g2 text, g3 text, g4 text, count bigint)
    LANGUAGE plpgsql
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
    -- (a fixed snapshot or a read-only transaction cannot bring them up to
    -- date: the rows are counted then)
    IF query_summary(p_spec, true) IS NOT NULL AND query_by_reader()
       AND current_setting('transaction_isolation') = 'read committed'
       AND current_setting('transaction_read_only') = 'off' THEN
        RETURN QUERY SELECT * FROM query_count_reader(p_spec);
        RETURN;
    END IF;
    RETURN QUERY SELECT * FROM query_counted(b.o_sql, b.o_params, 1,
                                             p_spec->>'period' IS NOT NULL, false);
END $$;
