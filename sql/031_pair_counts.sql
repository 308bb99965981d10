-- 031_pair_counts: the query language's counts over all time of the status,
-- and of any two of the summaries' dimensions, answer from summaries; an
-- advisor's list of rows with a text word finds them by the GIN index
-- (issue 15, point 4).
--
-- After 030 these still read the questions at 1,000,000 (whole commands):
--   supervisor `status:open count by topic`                 264 ms (p95)
--   kvk_demo, lwl_demo `status:open count by topic`       0.9-1.2 s
--   supervisor `org:kvk,cnv group:werkende count by week`    136 ms
-- status was in no summary, and the summaries held org x topic and one
-- dimension at a time only.  A cube of all six dimensions per day would
-- not help: 9 x 6 x 6 x 4 x 15 x 4 = 77,760 cells against ~1,900 questions
-- a day, so it would hold about a row per question, as many as counting
-- them.  Every pair of them per day does: at most 135 cells a pair
-- (org x muni), ~760 for the fourteen pairs, so a count over two years
-- reads at most ~70,000 summary rows and mostly ~10,000-20,000.  So:
--   - status is a dimension of stat_volume and stat_reader_volume;
--   - stat_pair and stat_reader_pair count the questions per day for every
--     pair of org, topic, group, channel, muni and status but org x topic
--     (stat_cohort's), with the cell key's sum for the supervisors;
--   - query_summary answers a count whose fields are at most two of those
--     six (three or more, referral, outcome and text still count the rows).
-- stat_refresh keeps them with the others (stat_refresh_pairs): a status
-- change is an UPDATE of question, which marks the question's day
-- (stat_mark_update, 015), so the next count recomputes that day.
--
-- An advisor's list with a text word (`loket query -c '"glasblazen"'` as
-- kvk_demo) walked its rows newest first and matched each row's text under
-- the policies: every row for a rare word (~4 s).  query_rows now takes
-- the matching ids page by page from question_search (028: the walk for a
-- common word, else the GIN index, keyset order) and reads those rows
-- under the caller's policies, the other terms applied as before.
SET LOCAL ROLE loket_owner;

ALTER TABLE stat_volume DROP CONSTRAINT stat_volume_dim_check,
    ADD CONSTRAINT stat_volume_dim_check
        CHECK (dim IN ('org', 'topic', 'group', 'channel', 'muni', 'status'));
ALTER TABLE stat_reader_volume DROP CONSTRAINT stat_reader_volume_dim_check,
    ADD CONSTRAINT stat_reader_volume_dim_check
        CHECK (dim IN ('org', 'topic', 'group', 'channel', 'muni', 'status'));

-- The pairs, named by their two dimensions in this order: org, topic,
-- group, channel, muni, status (v1 the first's value, v2 the second's;
-- '' for an unknown municipality).
CREATE TABLE stat_pair (
    region code NOT NULL,
    day    date NOT NULL,
    dims   text NOT NULL CHECK (dims IN (
               'org,group', 'org,channel', 'org,muni', 'org,status',
               'topic,group', 'topic,channel', 'topic,muni', 'topic,status',
               'group,channel', 'group,muni', 'group,status',
               'channel,muni', 'channel,status', 'muni,status')),
    v1     text NOT NULL,
    v2     text NOT NULL,
    n      integer NOT NULL,
    keysum bigint NOT NULL,
    PRIMARY KEY (region, dims, day, v1, v2)
);
-- per reader, as stat_reader_volume (030): exact, no cell key
CREATE TABLE stat_reader_pair (
    region code NOT NULL,
    day    date NOT NULL,
    reader code NOT NULL,
    dims   text NOT NULL,
    v1     text NOT NULL,
    v2     text NOT NULL,
    n      integer NOT NULL,
    PRIMARY KEY (reader, dims, day, v1, v2, region)
);
CREATE INDEX stat_pair_day ON stat_pair (region, day);
CREATE INDEX stat_reader_pair_day ON stat_reader_pair (region, day);
REVOKE ALL ON stat_pair, stat_reader_pair FROM PUBLIC;

-- The pairs and the status of those days of a region: each question once
-- per pair, grouped per day, set of readers and values first (as 030's
-- dims), then over the region and per reader.
-- jit off: planned once for any days, the statement expects ~100,000
-- questions a day and compiled itself for ~0.7 s to refresh one day of
-- ~4,000 (175 ms without); 030's stat_refresh_days alike (1.8 s -> 0.8 s).
CREATE FUNCTION stat_refresh_pairs(p_region text, p_days date[]) RETURNS void
    LANGUAGE sql
    SET search_path = loket, pg_catalog, pg_temp
    SET jit = off AS $$
    WITH f AS MATERIALIZED (
        SELECT d.day, q.record_key AS rk, q.organisation::text AS org, q.topic::text AS topic,
               q.client_group::text AS grp, q.channel::text AS channel,
               coalesce(p.municipality::text, '') AS muni, q.status,
               ARRAY[q.organisation::text]
               || coalesce((SELECT array_agg(DISTINCT r.to_org::text) FROM referral r
                             WHERE r.question_id = q.id AND r.status <> 'withdrawn'
                               AND r.to_org <> q.organisation), '{}') AS readers
          FROM unnest(p_days) AS d(day)
          JOIN question q ON q.region = p_region
                         AND q.created_at >= nl_start(d.day) AND q.created_at < nl_start(d.day + 1)
          LEFT JOIN postcode4 p ON p.postcode = q.postcode4
    ), pairs AS MATERIALIZED (
        SELECT f.day, f.readers, v.dims, v.v1, v.v2, count(*) AS n, sum(f.rk) AS rk
          FROM f, LATERAL (VALUES
                   ('org,group', f.org, f.grp), ('org,channel', f.org, f.channel),
                   ('org,muni', f.org, f.muni), ('org,status', f.org, f.status),
                   ('topic,group', f.topic, f.grp), ('topic,channel', f.topic, f.channel),
                   ('topic,muni', f.topic, f.muni), ('topic,status', f.topic, f.status),
                   ('group,channel', f.grp, f.channel), ('group,muni', f.grp, f.muni),
                   ('group,status', f.grp, f.status), ('channel,muni', f.channel, f.muni),
                   ('channel,status', f.channel, f.status), ('muni,status', f.muni, f.status),
                   ('status', f.status, '')) AS v(dims, v1, v2)
         GROUP BY f.day, f.readers, v.dims, v.v1, v.v2
    ), pair AS (
        INSERT INTO stat_pair (region, day, dims, v1, v2, n, keysum)
        SELECT p_region, x.day, x.dims, x.v1, x.v2, sum(x.n), sum(x.rk)
          FROM pairs x WHERE x.dims <> 'status' GROUP BY x.day, x.dims, x.v1, x.v2
    ), reader_pair AS (
        INSERT INTO stat_reader_pair (region, day, reader, dims, v1, v2, n)
        SELECT p_region, x.day, w.reader, x.dims, x.v1, x.v2, sum(x.n)
          FROM pairs x, unnest(x.readers) AS w(reader)
         WHERE x.dims <> 'status'
         GROUP BY x.day, w.reader, x.dims, x.v1, x.v2
    ), status AS (
        INSERT INTO stat_volume (region, day, dim, value, n, keysum)
        SELECT p_region, x.day, 'status', x.v1, sum(x.n), sum(x.rk)
          FROM pairs x WHERE x.dims = 'status' GROUP BY x.day, x.v1
    )
    INSERT INTO stat_reader_volume (region, day, reader, dim, value, n)
    SELECT p_region, x.day, w.reader, 'status', x.v1, sum(x.n)
      FROM pairs x, unnest(x.readers) AS w(reader)
     WHERE x.dims = 'status'
     GROUP BY x.day, w.reader, x.v1
$$;
REVOKE EXECUTE ON FUNCTION stat_refresh_pairs(text, date[]) FROM PUBLIC;
ALTER FUNCTION stat_refresh_days(text, date[]) SET jit = off;

-- As in 030, with the pairs.
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
    DELETE FROM stat_pair WHERE region = p_region AND day = ANY (v_days);
    DELETE FROM stat_reader_pair WHERE region = p_region AND day = ANY (v_days);
    PERFORM stat_refresh_days(p_region, v_days);
    PERFORM stat_refresh_pairs(p_region, v_days);
    RETURN cardinality(v_days);
END $$;

-- The pairs and the status of every day there is.
SELECT stat_refresh_pairs(r.code, ARRAY(SELECT DISTINCT nl_day(q.created_at) FROM question q
                                         WHERE q.region = r.code))
  FROM region r;

------------------------------------------------------------------------------
-- Counts from the summaries.

-- Which summary answers a count using the fields p_set (in the order org,
-- topic, group, channel, muni, status, each once): 'cohort' (none, or org
-- and topic only), 'volume' (one), 'pair' (two), or NULL.
CREATE FUNCTION query_summary_kind(p_set text[]) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN p_set <@ ARRAY['org', 'topic'] THEN 'cohort'
                WHEN cardinality(p_set) = 1 THEN 'volume'
                WHEN cardinality(p_set) = 2 THEN 'pair' END
$$;

-- A field's column in that summary (s): stat_cohort's organisation and
-- topic, stat_volume's value, stat_pair's v1 or v2; NULL for an unknown
-- municipality, as the LEFT JOIN of postcode4 gives the count.
DROP FUNCTION query_summary_column(text, boolean);
CREATE FUNCTION query_summary_column(p_field text, p_set text[]) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN p_field = 'muni' THEN format('nullif(%s, '''')', c) ELSE c END
      FROM (SELECT CASE query_summary_kind(p_set)
                       WHEN 'cohort' THEN CASE p_field WHEN 'org' THEN 's.organisation'
                                                       ELSE 's.topic' END
                       WHEN 'volume' THEN 's.value'
                       ELSE CASE WHEN p_field = p_set[1] THEN 's.v1' ELSE 's.v2' END
                   END AS c) x
$$;

-- As in 030, and status, and any two dimensions from the pairs: the count
-- of a query (already checked by query_build, same parameters: $1[1] the
-- region, or for p_reader the reading organisation; the terms' values in
-- order; the limit last) from the summary tables, in query_build's columns
-- (the cell key NULL for a reader, whose counts are exact); NULL when the
-- summaries do not carry the fields it uses.
CREATE OR REPLACE FUNCTION query_summary(p_spec jsonb, p_reader boolean) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    t       jsonb;
    n       integer := 1;   -- the values used so far ($1[1])
    k       integer;
    cond    text;
    v_dims  text[] := ARRAY['org', 'topic', 'group', 'channel', 'muni', 'status'];
    v_group text[] := ARRAY(SELECT jsonb_array_elements_text(coalesce(p_spec->'group', '[]')));
    v_used  text[];
    v_set   text[];
    v_kind  text;
    v_where text := CASE WHEN p_reader THEN ' WHERE s.reader = $1[1]'
                         ELSE ' WHERE s.region = $1[1]' END;
    v_cols  text;
BEGIN
    v_used := v_group || ARRAY(SELECT e->>'field' FROM jsonb_array_elements(p_spec->'terms') e
                                WHERE e->>'field' NOT IN ('since', 'until'));
    IF NOT v_used <@ v_dims THEN
        RETURN NULL;
    END IF;
    v_set := ARRAY(SELECT d FROM unnest(v_dims) WITH ORDINALITY AS u(d, i)
                    WHERE d = ANY (v_used) ORDER BY i);
    v_kind := query_summary_kind(v_set);
    IF v_kind IS NULL THEN
        RETURN NULL;   -- three dimensions or more
    END IF;
    v_where := v_where || CASE v_kind WHEN 'volume' THEN format(' AND s.dim = %L', v_set[1])
                                      WHEN 'pair' THEN format(' AND s.dims = %L',
                                                              array_to_string(v_set, ','))
                                      ELSE '' END;
    FOR t IN SELECT e FROM jsonb_array_elements(p_spec->'terms') AS e LOOP
        k := jsonb_array_length(t->'values');
        cond := CASE t->>'field'
            WHEN 'since' THEN format('s.day >= $1[%s]::date', n + 1)
            WHEN 'until' THEN format('s.day <= $1[%s]::date', n + 1)
            ELSE format('%s = ANY ($1[%s:%s])',
                        query_summary_column(t->>'field', v_set), n + 1, n + k)
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
                                 THEN ', ' || query_summary_column(v_group[k], v_set) || '::text'
                                 ELSE ', NULL::text' END;
    END LOOP;
    RETURN 'SELECT ' || v_cols || ', '
        || CASE WHEN v_kind = 'cohort' AND p_reader THEN 'sum(s.n)::bigint, NULL::bigint'
                WHEN v_kind = 'cohort' THEN 'sum(s.registered)::bigint, sum(s.k_registered)::bigint'
                WHEN p_reader THEN 'sum(s.n)::bigint, NULL::bigint'
                ELSE 'sum(s.n)::bigint, sum(s.keysum)::bigint' END
        || ' FROM stat_' || CASE WHEN p_reader THEN 'reader_' ELSE '' END || v_kind || ' s'
        || v_where || ' GROUP BY 1, 2, 3, 4, 5';
END $$;
REVOKE EXECUTE ON FUNCTION query_summary_kind(text[]), query_summary_column(text, text[])
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION query_summary_kind(text[]), query_summary_column(text, text[])
    TO loket_advisor, loket_central, loket_supervisor;

------------------------------------------------------------------------------
-- An advisor's list of rows with a text word.

-- As in 030, but an advisor's list ('rows') matches a text word only among
-- the ids in $2 (uuid[]), when query_rows gives them: a page of the
-- questions that match its first text word that is not negated.  (A
-- negated word then excludes those of the page that match it, and rows
-- outside the page are excluded by that first word.)  $2 NULL: every row.
CREATE OR REPLACE FUNCTION query_cond(p_field text, p_from integer, p_to integer, p_how text)
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
            '(q.id = ANY ($2::uuid[]) OR $2::uuid[] IS NULL)'
            ' AND to_tsvector(''dutch'', q.text) @@ websearch_to_tsquery(''dutch'', $1[%s])',
            p_from)
        WHEN p_field = 'since' THEN format('q.created_at >= nl_start($1[%s]::date)', p_from)
        WHEN p_field = 'until' THEN format('q.created_at < nl_start($1[%s]::date + 1)', p_from)
        ELSE format('%s = ANY ($1[%s:%s])', query_column(p_field), p_from, p_to)
    END;
END $$;

-- Rows of the questions the caller reads (advisors and the central point,
-- under their policies), newest first, at most `top` (100).  With a text
-- word that is not negated, the matching ids come from question_search
-- (028) a page at a time in the same order, from 100 (or `top`) ids up to
-- 10,000, and the rows of each page are read and filtered by the other
-- terms, until `top` rows or the last match: the time index for a common
-- word, the GIN index for a rare one, instead of matching every row.
CREATE OR REPLACE FUNCTION query_rows(p_spec jsonb)
    RETURNS TABLE (number integer, registered text, org text, "group" text, topic text,
                   channel text, status text, referral text, muni text, text text)
    LANGUAGE plpgsql STABLE
    SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    b      record;
    v_word text;
    v_left integer;
    v_page integer;
    v_got  integer;
    v_ids  uuid[];
    v_ats  timestamptz[];
    v_at   timestamptz;
    v_id   uuid;
BEGIN
    IF NOT has_table_privilege('loket.question', 'SELECT') THEN
        RAISE EXCEPTION 'supervisors see counts, not questions: add count'
            USING ERRCODE = '42501';
    END IF;
    b := query_build(p_spec, false, NULL);
    SELECT e->'values'->>0 INTO v_word
      FROM jsonb_array_elements(p_spec->'terms') WITH ORDINALITY AS x(e, i)
     WHERE e->>'field' = 'text' AND NOT coalesce((e->>'negated')::boolean, false)
     ORDER BY i LIMIT 1;
    IF v_word IS NULL
       OR NOT has_function_privilege('loket.query_by_reader()', 'EXECUTE')
       OR NOT query_by_reader() THEN
        RETURN QUERY EXECUTE b.o_sql USING b.o_params, NULL::uuid[];
        RETURN;
    END IF;
    v_left := coalesce((p_spec->>'top')::integer, 100);
    v_page := least(greatest(v_left, 100), 10000);
    LOOP
        SELECT array_agg(s.id ORDER BY s.created_at DESC, s.id DESC),
               array_agg(s.created_at ORDER BY s.created_at DESC, s.id DESC)
          INTO v_ids, v_ats
          FROM question_search(v_word, NULL, v_at, v_id, 'older', v_page) s;
        EXIT WHEN v_ids IS NULL;
        RETURN QUERY EXECUTE 'SELECT * FROM (' || b.o_sql || ') r LIMIT $3'
            USING b.o_params, v_ids, v_left;
        GET DIAGNOSTICS v_got = ROW_COUNT;
        v_left := v_left - v_got;
        EXIT WHEN v_left <= 0 OR cardinality(v_ids) < v_page;
        v_at := v_ats[cardinality(v_ats)];
        v_id := v_ids[cardinality(v_ids)];
        v_page := least(v_page * 4, 10000);
    END LOOP;
END $$;
