-- 028_question_search: full-text search of the case list that uses its index
-- under row-level security.
--
-- The list searched with to_tsvector('dutch', q.text) @@ websearch_to_tsquery
-- as the advisor, under the question policies.  @@ is not leakproof, so the
-- planner may not evaluate it before the policies' quals, which rules out the
-- GIN index: a rare or missing word walked every row (5-11 s at 1M).
--
-- Now question_fts keeps, per question, its words (Dutch configuration) and
-- the organisations whose advisors read it under the question SELECT
-- policies (readers):
--   question_read_own       its organisation
--   question_read_referred  the target of each referral that is not withdrawn
-- Statement triggers on question and referral keep both in step; only the
-- owner reads the table.  question_search() runs as the owner and asks
-- readers for the calling role's organisation, so that the words and the
-- readers are one GIN index condition.  Supervisors have no row of question
-- since 015; they get no EXECUTE either.  It returns only (id, created_at) of
-- a page of matches in keyset order; the caller reads the rows' columns
-- under its own policies (question_page).
SET LOCAL ROLE loket_owner;

-- created_at is a copy (it never changes once written), so that a search
-- and its order are read from this table alone.
CREATE TABLE question_fts (
    question_id  uuid PRIMARY KEY,
    created_at   timestamptz NOT NULL,
    readers      text[] NOT NULL,
    words        tsvector NOT NULL
);
ALTER TABLE question_fts ENABLE ROW LEVEL SECURITY;
ALTER TABLE question_fts FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_only ON question_fts TO loket_owner USING (true) WITH CHECK (true);
REVOKE ALL ON question_fts FROM PUBLIC;

-- Who reads a question under the question SELECT policies (005): its
-- organisation, and the target of every referral that is not withdrawn.
CREATE FUNCTION question_readers(p_question uuid, p_org text) RETURNS text[]
    LANGUAGE sql STABLE
    SET search_path = loket, pg_catalog, pg_temp AS $$
    SELECT ARRAY[p_org] || coalesce(array_agg(DISTINCT r.to_org::text)
                                    FILTER (WHERE r.to_org <> p_org), '{}')
      FROM referral r
     WHERE r.question_id = p_question AND r.status <> 'withdrawn'
$$;
REVOKE EXECUTE ON FUNCTION question_readers(uuid, text) FROM PUBLIC;

INSERT INTO question_fts (question_id, created_at, readers, words)
SELECT id, created_at, question_readers(id, organisation), to_tsvector('dutch', text)
  FROM question;
-- the words and the readers together: only a role's own matches are read
CREATE INDEX question_fts_words ON question_fts USING gin (words, readers);
CREATE INDEX question_fts_recent ON question_fts (created_at DESC, question_id DESC);

-- Kept in step with question, once per statement (the seed inserts a batch
-- in one statement).  An update rewrites only rows whose text, organisation
-- or time changed.
CREATE FUNCTION question_fts_sync() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO question_fts (question_id, created_at, readers, words)
        SELECT n.id, n.created_at, question_readers(n.id, n.organisation),
               to_tsvector('dutch', n.text)
          FROM fts_new n
        ON CONFLICT (question_id) DO NOTHING;
    ELSE
        INSERT INTO question_fts (question_id, created_at, readers, words)
        SELECT n.id, n.created_at, question_readers(n.id, n.organisation),
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
REVOKE EXECUTE ON FUNCTION question_fts_sync() FROM PUBLIC;
CREATE TRIGGER question_fts_insert AFTER INSERT ON question
    REFERENCING NEW TABLE AS fts_new
    FOR EACH STATEMENT EXECUTE FUNCTION question_fts_sync();
CREATE TRIGGER question_fts_update AFTER UPDATE ON question
    REFERENCING OLD TABLE AS fts_old NEW TABLE AS fts_new
    FOR EACH STATEMENT EXECUTE FUNCTION question_fts_sync();

-- The readers follow the referrals: a new one, and one whose question,
-- target or withdrawn-ness changed (both questions, when it moved).
CREATE FUNCTION question_fts_readers() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE question_fts f SET readers = question_readers(q.id, q.organisation)
          FROM question q
         WHERE q.id = f.question_id
           AND f.question_id IN (SELECT n.question_id FROM fts_new n);
    ELSE
        UPDATE question_fts f SET readers = question_readers(q.id, q.organisation)
          FROM question q
         WHERE q.id = f.question_id
           AND f.question_id IN (
               SELECT unnest(ARRAY[n.question_id, o.question_id])
                 FROM fts_new n JOIN fts_old o ON o.id = n.id
                WHERE (n.question_id, n.to_org, n.status = 'withdrawn')
                      IS DISTINCT FROM (o.question_id, o.to_org, o.status = 'withdrawn'));
    END IF;
    RETURN NULL;
END $$;
REVOKE EXECUTE ON FUNCTION question_fts_readers() FROM PUBLIC;
CREATE TRIGGER question_fts_referral_insert AFTER INSERT ON referral
    REFERENCING NEW TABLE AS fts_new
    FOR EACH STATEMENT EXECUTE FUNCTION question_fts_readers();
CREATE TRIGGER question_fts_referral_update AFTER UPDATE ON referral
    REFERENCING OLD TABLE AS fts_old NEW TABLE AS fts_new
    FOR EACH STATEMENT EXECUTE FUNCTION question_fts_readers();

-- The organisation whose questions the calling role reads under the question
-- SELECT policies, or NULL when those policies give it none: the policies
-- apply to members of loket_advisor and loket_central, through my_org(),
-- which reads the advisor row of current_user (invoker_role() here).
CREATE FUNCTION question_search_org() RETURNS text
    LANGUAGE sql STABLE
    SET search_path = loket, pg_catalog, pg_temp AS $$
    SELECT a.organisation FROM advisor a
     WHERE a.role_name = invoker_role() AND a.active
       AND (pg_has_role(invoker_role(), 'loket_advisor', 'USAGE')
            OR pg_has_role(invoker_role(), 'loket_central', 'USAGE'))
       AND has_table_privilege(invoker_role(), 'loket.question', 'SELECT')
$$;
REVOKE EXECUTE ON FUNCTION question_search_org() FROM PUBLIC;

-- The statements of a search, for a direction (see question_search), with
-- $1 the tsquery, $2 the organisation, $3 the page size, $4 the status or
-- NULL, $5 and $6 the key or NULLs, $7 how many rows a walk reads at most.
-- p_how:
--   'walk'   the first $7 rows in order (by the time index), and of those
--            one page of the organisation's matches: cheap for a common word
--   'walked' how many rows that walk reads (fewer than $7: it read them all)
--   'gin'    the organisation's matches by the GIN index, sorted, one page:
--            cheap for a rare or missing word
-- The planner cannot choose between the two itself: the statistics of a
-- tsvector give every word outside its most common ones the same frequency,
-- so a missing word looked as common as a rare one, and it walked every row.
-- tests/db/test_search explains the 'gin' one.
CREATE FUNCTION question_search_sql(p_dir text, p_how text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    v_op    text;
    v_ord   text;
    v_match text := '%1$s.words @@ $1 AND %1$s.readers @> ARRAY[$2::text] '
                    'AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM loket.question q '
                    'WHERE q.id = %1$s.question_id AND q.status = $4))';
    v_keyed text;
BEGIN
    CASE p_dir
        WHEN 'older' THEN v_op := '<';  v_ord := 'DESC';
        WHEN 'at'    THEN v_op := '<='; v_ord := 'DESC';
        WHEN 'newer' THEN v_op := '>';  v_ord := 'ASC';
        ELSE RAISE EXCEPTION 'question_search: unknown direction %', p_dir
                 USING ERRCODE = '22023';
    END CASE;
    v_keyed := format('($5::timestamptz IS NULL OR (f.created_at, f.question_id) %s ($5, $6))',
                      v_op);
    CASE p_how
        WHEN 'walk' THEN RETURN format(
            'SELECT w.question_id, w.created_at FROM (SELECT f.question_id, f.created_at, '
            'f.readers, f.words FROM loket.question_fts f WHERE %s ORDER BY f.created_at %s, '
            'f.question_id %2$s LIMIT $7) w WHERE %s '
            'ORDER BY w.created_at %2$s, w.question_id %2$s LIMIT $3',
            v_keyed, v_ord, format(v_match, 'w'));
        WHEN 'walked' THEN RETURN format(
            'SELECT count(*) FROM (SELECT 1 FROM loket.question_fts f WHERE %s '
            'ORDER BY f.created_at %s, f.question_id %2$s LIMIT $7) w',
            v_keyed, v_ord);
        WHEN 'gin' THEN RETURN format(
            'SELECT m.question_id, m.created_at FROM (SELECT f.question_id, f.created_at '
            'FROM loket.question_fts f WHERE %s AND %s OFFSET 0) m '
            'ORDER BY m.created_at %s, m.question_id %3$s LIMIT $3',
            format(v_match, 'f'), v_keyed, v_ord);
        ELSE RAISE EXCEPTION 'question_search: unknown plan %', p_how USING ERRCODE = '22023';
    END CASE;
END $$;
REVOKE EXECUTE ON FUNCTION question_search_sql(text, text) FROM PUBLIC;

-- A page of the questions the caller may read whose text matches p_search
-- (websearch_to_tsquery, Dutch), with status p_status when that is not NULL,
-- in the case list's keyset order on (created_at, id):
--   'older'  newest first, rows before the key (all when the key is NULL)
--   'at'     newest first, the key's row and those before it
--   'newer'  oldest first, rows after the key (all when the key is NULL)
-- A walk along the time index when that fills the page or reads the whole
-- range, else the GIN index.  The walk reads at most 100 rows per row of the
-- page (6,100 rows, a few ms, for the screen's page): a word in at least 1
-- of 100 rows the caller reads.  Every statement is planned for its call
-- with its values.
CREATE FUNCTION question_search(p_search text, p_status text, p_key timestamptz,
                                p_key_id uuid, p_dir text, p_limit integer)
    RETURNS TABLE (id uuid, created_at timestamptz)
    LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 50
    SET search_path = loket, pg_catalog, pg_temp
    SET plan_cache_mode = force_custom_plan AS $$
DECLARE
    v_org   text := question_search_org();
    v_query tsquery := websearch_to_tsquery('dutch', coalesce(p_search, ''));
    v_walk  integer := least(greatest(p_limit, 1), 100000) * 100;
    v_ids   uuid[];
    v_ats   timestamptz[];
    v_read  bigint;
BEGIN
    PERFORM question_search_sql(p_dir, 'walk');  -- refuses an unknown direction
    IF v_org IS NULL OR numnode(v_query) = 0 OR p_limit < 1 THEN
        RETURN;
    END IF;
    EXECUTE format('SELECT array_agg(p.question_id), array_agg(p.created_at) FROM (%s) p',
                   question_search_sql(p_dir, 'walk'))
       INTO v_ids, v_ats
      USING v_query, v_org, p_limit, p_status, p_key, p_key_id, v_walk;
    IF coalesce(cardinality(v_ids), 0) < p_limit THEN
        EXECUTE question_search_sql(p_dir, 'walked') INTO v_read
          USING v_query, v_org, p_limit, p_status, p_key, p_key_id, v_walk;
        -- The walk stopped short.  Having found a tenth of a page, a walk ten
        -- times as long most likely fills it (a phrase of common words,
        -- which the index would check row by row); else ask the index.
        IF v_read >= v_walk AND cardinality(v_ids) * 10 >= p_limit THEN
            v_walk := v_walk * 10;
            EXECUTE format('SELECT array_agg(p.question_id), array_agg(p.created_at) '
                           'FROM (%s) p', question_search_sql(p_dir, 'walk'))
               INTO v_ids, v_ats
              USING v_query, v_org, p_limit, p_status, p_key, p_key_id, v_walk;
            IF coalesce(cardinality(v_ids), 0) < p_limit THEN
                EXECUTE question_search_sql(p_dir, 'walked') INTO v_read
                  USING v_query, v_org, p_limit, p_status, p_key, p_key_id, v_walk;
            END IF;
        END IF;
        IF coalesce(cardinality(v_ids), 0) < p_limit AND v_read >= v_walk THEN
            EXECUTE format('SELECT array_agg(p.question_id), array_agg(p.created_at) '
                           'FROM (%s) p', question_search_sql(p_dir, 'gin'))
               INTO v_ids, v_ats
              USING v_query, v_org, p_limit, p_status, p_key, p_key_id, v_walk;
        END IF;
    END IF;
    RETURN QUERY
        SELECT u.id, u.at FROM unnest(v_ids, v_ats) AS u(id, at)
         ORDER BY CASE WHEN p_dir = 'newer' THEN u.at END,
                  CASE WHEN p_dir = 'newer' THEN u.id END,
                  u.at DESC, u.id DESC;
END $$;
REVOKE EXECUTE ON FUNCTION question_search(text, text, timestamptz, uuid, text, integer)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION question_search(text, text, timestamptz, uuid, text, integer)
    TO loket_advisor, loket_central;
