-- 034_summary_now.sql: counts and reports read the summaries of the days
-- nothing changed, and count the changed days' questions beside them, so
-- no reader waits for a refresh (issue 15, point 4).
--
-- Every write marks the day of the question it touches (stat_dirty, 015),
-- and every count or report first recomputed the marked days of the region
-- (stat_refresh): at 1,000,000 questions, one day of ~1,400 questions took
-- ~120 ms (the eight summaries' rows deleted and written again, 3,500 of
-- them for stat_reader_pair alone), so the first count or report after any
-- change took 145-170 ms, against a budget of 100 ms.  On a working day
-- that is nearly every count: questions are registered all day.
--
-- Now the counts and reports read stat_*_now(region): the summary's rows
-- of the days without a mark, and for the marked days one row per question
-- (n = 1, the question's record key), worked out from the questions as the
-- refresh works them out (stat_fact).  The figures are the same sums of the
-- same rows, so the same counts and the same cell key's noise; one marked
-- day costs a few milliseconds (its questions, by question_recent).  They
-- are read in one statement, so a refresh that commits meanwhile is seen
-- whole or not at all.
--
-- The refresh now runs
--   - when a reader finds more than four marked days of a region
--     (stat_catch_up), the old way, so the questions beside the summaries
--     stay few even where nobody runs the next one;
--   - by `loket db refresh` (stat_refresh_all, now also for supervisors),
--     which doc/deployment.md runs every few minutes from a timer.
-- A standby, a read-only transaction or a fixed snapshot cannot refresh;
-- their counts and reports are now right all the same, so an advisor's
-- count answers from the summaries there too.
SET LOCAL ROLE loket_owner;

-- The questions of the marked days of a region (NULL: of every region),
-- or of every region but only those an organisation reads (p_reader: its
-- own, and those referred to it by a referral not withdrawn, as
-- question_fts.readers; one look-up a question, before anything else is
-- worked out for it).  PL/pgSQL with ROWS, as 033's stat_day_questions:
-- the planner cannot see how many questions a day holds (nl_start of a
-- marked day), took a ninth of the table for each, and compiled the
-- reports for 0.2-1.5 s (jit); jit off for its own statement, which expects
-- as many and would compile itself for ~0.15 s.  The referrals to the
-- reader are probed per question: hashed, the central point's are 170,000.
CREATE FUNCTION stat_dirty_questions(p_region text, p_reader text)
    RETURNS TABLE (region text, day date, id uuid, rk bigint, org text, topic text, grp text,
                   channel text, muni text, status text)
    LANGUAGE plpgsql STABLE ROWS 2000
    SET search_path = loket, pg_catalog, pg_temp
    SET jit = off AS $$
BEGIN
    RETURN QUERY
    SELECT d.region, d.day, q.id, q.record_key::bigint, q.organisation::text, q.topic::text,
           q.client_group::text, q.channel::text, coalesce(p.municipality::text, ''),
           q.status::text
      FROM (SELECT DISTINCT m.region::text AS region, m.day FROM stat_dirty m
             WHERE p_region IS NULL OR m.region = p_region) d
      JOIN question q ON q.region = d.region
                     AND q.created_at >= nl_start(d.day) AND q.created_at < nl_start(d.day + 1)
      LEFT JOIN postcode4 p ON p.postcode = q.postcode4
     WHERE p_reader IS NULL OR q.organisation = p_reader
        OR EXISTS (SELECT 1 FROM referral r   -- OFFSET 0: probed by question, not hashed
                    WHERE r.question_id = q.id AND r.to_org = p_reader
                      AND r.status <> 'withdrawn' OFFSET 0);
END $$;

-- Those questions with what the summaries count of each (as
-- stat_refresh_days of 030 and stat_refresh_pairs of 031 work it out).
-- This and the functions below are plain SQL without settings, so that
-- PostgreSQL inlines them into the statement that reads them and pushes
-- its conditions (days, dimension) down; names are qualified for that.
-- Columns a reader does not use are not computed (scalar subqueries): the
-- referrals are looked up once for the four flags (bits 1 referred,
-- 2 accepted, 4 completed, 8 returned).
CREATE FUNCTION stat_fact(p_region text, p_reader text)
    RETURNS TABLE (region text, day date, id uuid, rk bigint, org text, topic text, grp text,
                   channel text, muni text, status text, informed boolean, flags integer)
    LANGUAGE sql STABLE AS $$
SELECT * FROM (   -- OFFSET 0: each subquery once a row, not once where it is used
    SELECT q.region, q.day, q.id, q.rk, q.org, q.topic, q.grp, q.channel, q.muni, q.status,
           loket.question_informed(q.id),
           (SELECT coalesce(bit_or(CASE WHEN x.status <> 'withdrawn' THEN 1 ELSE 0 END
                                   | CASE WHEN x.accepted_at IS NOT NULL THEN 2 ELSE 0 END
                                   | CASE WHEN x.status = 'completed' THEN 4 ELSE 0 END
                                   | CASE WHEN x.status = 'returned' THEN 8 ELSE 0 END), 0)
              FROM loket.referral x WHERE x.question_id = q.id)
      FROM loket.stat_dirty_questions(p_region, p_reader) q
    OFFSET 0) f
$$;

-- Each summary of a region as it is now: its rows of the days without a
-- mark, and a row per question (or per pair of values, per referral, per
-- item) of the marked days.
CREATE FUNCTION stat_cohort_now(p_region text)
    RETURNS TABLE (region text, day date, organisation text, topic text, registered integer,
                   informed integer, referred integer, accepted integer, completed integer,
                   returned integer, k_registered bigint, k_informed bigint, k_referred bigint,
                   k_accepted bigint, k_completed bigint, k_returned bigint)
    LANGUAGE sql STABLE AS $$
SELECT s.region::text, s.day, s.organisation::text, s.topic::text, s.registered, s.informed,
       s.referred, s.accepted, s.completed, s.returned, s.k_registered, s.k_informed,
       s.k_referred, s.k_accepted, s.k_completed, s.k_returned
  FROM loket.stat_cohort s
 WHERE s.region = p_region
   AND NOT EXISTS (SELECT 1 FROM loket.stat_dirty m WHERE m.region = s.region AND m.day = s.day)
UNION ALL
SELECT f.region, f.day, f.org, f.topic, 1, f.informed::integer, (f.flags & 1 <> 0)::integer,
       (f.flags & 2 <> 0)::integer, (f.flags & 4 <> 0)::integer, (f.flags & 8 <> 0)::integer,
       f.rk, CASE WHEN f.informed THEN f.rk ELSE 0 END,
       CASE WHEN f.flags & 1 <> 0 THEN f.rk ELSE 0 END,
       CASE WHEN f.flags & 2 <> 0 THEN f.rk ELSE 0 END,
       CASE WHEN f.flags & 4 <> 0 THEN f.rk ELSE 0 END,
       CASE WHEN f.flags & 8 <> 0 THEN f.rk ELSE 0 END
  FROM loket.stat_fact(p_region, NULL) f
$$;

CREATE FUNCTION stat_volume_now(p_region text)
    RETURNS TABLE (region text, day date, dim text, value text, n integer, keysum bigint)
    LANGUAGE sql STABLE AS $$
SELECT s.region::text, s.day, s.dim, s.value, s.n, s.keysum
  FROM loket.stat_volume s
 WHERE s.region = p_region
   AND NOT EXISTS (SELECT 1 FROM loket.stat_dirty m WHERE m.region = s.region AND m.day = s.day)
UNION ALL
SELECT f.region, f.day, v.dim, v.value, 1, f.rk
  FROM loket.stat_fact(p_region, NULL) f,
       LATERAL (VALUES ('org', f.org), ('topic', f.topic), ('group', f.grp),
                       ('channel', f.channel), ('muni', f.muni), ('status', f.status))
           AS v(dim, value)
$$;

CREATE FUNCTION stat_pair_now(p_region text)
    RETURNS TABLE (region text, day date, dims text, v1 text, v2 text, n integer,
                   keysum bigint)
    LANGUAGE sql STABLE AS $$
SELECT s.region::text, s.day, s.dims, s.v1, s.v2, s.n, s.keysum
  FROM loket.stat_pair s
 WHERE s.region = p_region
   AND NOT EXISTS (SELECT 1 FROM loket.stat_dirty m WHERE m.region = s.region AND m.day = s.day)
UNION ALL
SELECT f.region, f.day, v.dims, v.v1, v.v2, 1, f.rk
  FROM loket.stat_fact(p_region, NULL) f,
       LATERAL (VALUES
           ('org,group', f.org, f.grp), ('org,channel', f.org, f.channel),
           ('org,muni', f.org, f.muni), ('org,status', f.org, f.status),
           ('topic,group', f.topic, f.grp), ('topic,channel', f.topic, f.channel),
           ('topic,muni', f.topic, f.muni), ('topic,status', f.topic, f.status),
           ('group,channel', f.grp, f.channel), ('group,muni', f.grp, f.muni),
           ('group,status', f.grp, f.status), ('channel,muni', f.channel, f.muni),
           ('channel,status', f.channel, f.status), ('muni,status', f.muni, f.status))
           AS v(dims, v1, v2)
$$;

CREATE FUNCTION stat_outcome_now(p_region text)
    RETURNS TABLE (region text, day date, organisation text, outcome text, n integer,
                   keysum bigint)
    LANGUAGE sql STABLE AS $$
SELECT s.region::text, s.day, s.organisation::text, s.outcome::text, s.n, s.keysum
  FROM loket.stat_outcome s
 WHERE s.region = p_region
   AND NOT EXISTS (SELECT 1 FROM loket.stat_dirty m WHERE m.region = s.region AND m.day = s.day)
UNION ALL
SELECT f.region, f.day, f.org, x.outcome::text, 1, x.record_key::bigint
  FROM loket.stat_fact(p_region, NULL) f
  JOIN loket.referral x ON x.question_id = f.id
 WHERE x.status = 'completed'
$$;

CREATE FUNCTION stat_item_now(p_region text)
    RETURNS TABLE (region text, day date, organisation text, topic text, item_id bigint,
                   n integer, keysum bigint)
    LANGUAGE sql STABLE AS $$
SELECT s.region::text, s.day, s.organisation::text, s.topic::text, s.item_id, s.n, s.keysum
  FROM loket.stat_item s
 WHERE s.region = p_region
   AND NOT EXISTS (SELECT 1 FROM loket.stat_dirty m WHERE m.region = s.region AND m.day = s.day)
UNION ALL
SELECT g.region, g.day, g.org, g.topic, g.item_id, 1, g.rk
  FROM (SELECT DISTINCT f.region, f.day, f.id, f.rk, f.org, f.topic, v.item_id
          FROM loket.stat_fact(p_region, NULL) f
          JOIN loket.info_given i ON i.question_id = f.id
          JOIN loket.knowledge_version v ON v.id = i.knowledge_version_id) g
$$;

-- Per reader (030, 031): the questions an organisation reads, of every
-- region (a question of another region may be referred to it).
CREATE FUNCTION stat_reader_cohort_now(p_reader text)
    RETURNS TABLE (region text, day date, reader text, organisation text, topic text,
                   n integer)
    LANGUAGE sql STABLE AS $$
SELECT s.region::text, s.day, s.reader::text, s.organisation::text, s.topic::text, s.n
  FROM loket.stat_reader_cohort s
 WHERE s.reader = p_reader
   AND NOT EXISTS (SELECT 1 FROM loket.stat_dirty m WHERE m.region = s.region AND m.day = s.day)
UNION ALL
SELECT f.region, f.day, p_reader, f.org, f.topic, 1
  FROM loket.stat_fact(NULL, p_reader) f
$$;

CREATE FUNCTION stat_reader_volume_now(p_reader text)
    RETURNS TABLE (region text, day date, reader text, dim text, value text, n integer)
    LANGUAGE sql STABLE AS $$
SELECT s.region::text, s.day, s.reader::text, s.dim, s.value, s.n
  FROM loket.stat_reader_volume s
 WHERE s.reader = p_reader
   AND NOT EXISTS (SELECT 1 FROM loket.stat_dirty m WHERE m.region = s.region AND m.day = s.day)
UNION ALL
SELECT f.region, f.day, p_reader, v.dim, v.value, 1
  FROM loket.stat_fact(NULL, p_reader) f,
       LATERAL (VALUES ('org', f.org), ('topic', f.topic), ('group', f.grp),
                       ('channel', f.channel), ('muni', f.muni), ('status', f.status))
           AS v(dim, value)
$$;

CREATE FUNCTION stat_reader_pair_now(p_reader text)
    RETURNS TABLE (region text, day date, reader text, dims text, v1 text, v2 text,
                   n integer)
    LANGUAGE sql STABLE AS $$
SELECT s.region::text, s.day, s.reader::text, s.dims, s.v1, s.v2, s.n
  FROM loket.stat_reader_pair s
 WHERE s.reader = p_reader
   AND NOT EXISTS (SELECT 1 FROM loket.stat_dirty m WHERE m.region = s.region AND m.day = s.day)
UNION ALL
SELECT f.region, f.day, p_reader, v.dims, v.v1, v.v2, 1
  FROM loket.stat_fact(NULL, p_reader) f,
       LATERAL (VALUES
           ('org,group', f.org, f.grp), ('org,channel', f.org, f.channel),
           ('org,muni', f.org, f.muni), ('org,status', f.org, f.status),
           ('topic,group', f.topic, f.grp), ('topic,channel', f.topic, f.channel),
           ('topic,muni', f.topic, f.muni), ('topic,status', f.topic, f.status),
           ('group,channel', f.grp, f.channel), ('group,muni', f.grp, f.muni),
           ('group,status', f.grp, f.status), ('channel,muni', f.channel, f.muni),
           ('channel,status', f.channel, f.status), ('muni,status', f.muni, f.status))
           AS v(dims, v1, v2)
$$;

REVOKE EXECUTE ON FUNCTION stat_dirty_questions(text, text), stat_fact(text, text),
       stat_cohort_now(text), stat_volume_now(text), stat_pair_now(text),
       stat_outcome_now(text), stat_item_now(text), stat_reader_cohort_now(text),
       stat_reader_volume_now(text), stat_reader_pair_now(text)
    FROM PUBLIC;

-- A reader's refresh: only when more than four days of the region are
-- marked, so that the questions counted beside the summaries stay few
-- (a day's are a few milliseconds at 1,000,000 questions).
CREATE FUNCTION stat_catch_up(p_region text) RETURNS integer
    LANGUAGE plpgsql
    SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    IF (SELECT count(DISTINCT m.day) FROM stat_dirty m WHERE m.region = p_region) > 4 THEN
        RETURN stat_refresh(p_region);
    END IF;
    RETURN 0;
END $$;
REVOKE EXECUTE ON FUNCTION stat_catch_up(text) FROM PUBLIC;

-- `loket db refresh`: supervisors may bring their figures up to date too
-- (a service account with loket_supervisor runs it from a timer).
GRANT EXECUTE ON FUNCTION stat_refresh_all() TO loket_supervisor;

-- The readers of the summaries: the reports and the query language's
-- counts read the views and catch up instead of refreshing.  Their text is
-- changed in place (as 033 did); the migration fails if it is not as 026,
-- 030 and 031 wrote it.
DO $$
DECLARE
    c record;
    v_def text;
    v_pair text[];
BEGIN
    FOR c IN SELECT * FROM (VALUES
        ('report_volume(text, text, date, date)',
         ARRAY['PERFORM stat_refresh(v_region);', 'PERFORM stat_catch_up(v_region);',
               'FROM stat_volume s', 'FROM stat_volume_now(v_region) s']),
        ('report_funnel(date, date)',
         ARRAY['PERFORM stat_refresh(v_region);', 'PERFORM stat_catch_up(v_region);',
               'FROM stat_cohort c', 'FROM stat_cohort_now(v_region) c']),
        ('report_outcomes(date, date)',
         ARRAY['PERFORM stat_refresh(v_region);', 'PERFORM stat_catch_up(v_region);',
               'FROM stat_outcome s', 'FROM stat_outcome_now(v_region) s']),
        ('report_consistency(date, date)',
         ARRAY['PERFORM stat_refresh(v_region);', 'PERFORM stat_catch_up(v_region);',
               'FROM stat_cohort s', 'FROM stat_cohort_now(v_region) s',
               'FROM stat_item s', 'FROM stat_item_now(v_region) s']),
        ('query_count_region(jsonb)',
         ARRAY['PERFORM stat_refresh(v_region);', 'PERFORM stat_catch_up(v_region);']),
        ('query_count_reader(jsonb)',
         ARRAY['PERFORM stat_refresh(r.code) FROM region r;',
               'PERFORM stat_catch_up(r.code) FROM region r;']),
        ('query_summary(jsonb, boolean)',
         ARRAY['|| v_kind || '' s''', '|| v_kind || ''_now($1[1]) s'''])) AS t(fn, pairs)
    LOOP
        v_def := pg_get_functiondef(format('loket.%s', c.fn)::regprocedure);
        FOR i IN 1 .. cardinality(c.pairs) BY 2 LOOP
            IF position(c.pairs[i] IN v_def) = 0 THEN
                RAISE EXCEPTION '034: % does not say %', c.fn, c.pairs[i];
            END IF;
            v_def := replace(v_def, c.pairs[i], c.pairs[i + 1]);
        END LOOP;
        EXECUTE v_def;
    END LOOP;
END $$;

-- As in 030: an advisor's count answers from the readers' summaries in any
-- transaction now (read-only, a fixed snapshot, a standby): the views are
-- right without a refresh.
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
    IF query_summary(p_spec, true) IS NOT NULL AND query_by_reader() THEN
        RETURN QUERY SELECT * FROM query_count_reader(p_spec);
        RETURN;
    END IF;
    RETURN QUERY SELECT * FROM query_counted(b.o_sql, b.o_params, 1,
                                             p_spec->>'period' IS NOT NULL, false);
END $$;
