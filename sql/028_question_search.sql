-- 028_question_search: full-text search of the case list that uses its index
-- under row-level security.
--
-- The list searched with to_tsvector('dutch', q.text) @@ websearch_to_tsquery
-- as the advisor, under the question policies.  @@ is not leakproof, so the
-- planner may not evaluate it before the policies' quals, which rules out the
-- GIN index: a rare or missing word walked every row (5-11 s at 1M).
--
-- Now the words of each question are kept in question_fts (Dutch
-- configuration, GIN-indexed), which only the owner reads, maintained by
-- statement triggers on question.  question_search() runs as the owner and
-- applies the question SELECT policies' predicates itself, for the role that
-- calls it:
--   question_read_own       organisation = the caller's organisation
--   question_read_referred  a referral to that organisation, not withdrawn
-- Supervisors have no row of question since 015; they get no EXECUTE either.
-- It returns only (id, created_at) of a page of matches in keyset order; the
-- caller reads the rows' columns under its own policies (question_page).
SET LOCAL ROLE loket_owner;

-- organisation and created_at are copies (neither changes once written), so
-- that a search and its order are read from this table alone.
CREATE TABLE question_fts (
    question_id  uuid PRIMARY KEY,
    organisation code NOT NULL,
    created_at   timestamptz NOT NULL,
    words        tsvector NOT NULL
);
ALTER TABLE question_fts ENABLE ROW LEVEL SECURITY;
ALTER TABLE question_fts FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_only ON question_fts TO loket_owner USING (true) WITH CHECK (true);
REVOKE ALL ON question_fts FROM PUBLIC;

INSERT INTO question_fts (question_id, organisation, created_at, words)
SELECT id, organisation, created_at, to_tsvector('dutch', text) FROM question;
CREATE INDEX question_fts_words ON question_fts USING gin (words);
CREATE INDEX question_fts_org_recent
    ON question_fts (organisation, created_at DESC, question_id DESC);
CREATE INDEX question_fts_recent ON question_fts (created_at DESC, question_id DESC);

-- Kept in step with question, once per statement (the seed inserts a batch
-- in one statement).  An update rewrites only rows whose text, organisation
-- or time changed.
CREATE FUNCTION question_fts_sync() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO question_fts (question_id, organisation, created_at, words)
        SELECT n.id, n.organisation, n.created_at, to_tsvector('dutch', n.text)
          FROM fts_new n
        ON CONFLICT (question_id) DO NOTHING;
    ELSE
        INSERT INTO question_fts (question_id, organisation, created_at, words)
        SELECT n.id, n.organisation, n.created_at, to_tsvector('dutch', n.text)
          FROM fts_new n JOIN fts_old o ON o.id = n.id
         WHERE (n.text, n.organisation, n.created_at)
               IS DISTINCT FROM (o.text, o.organisation, o.created_at)
        ON CONFLICT (question_id) DO UPDATE
           SET organisation = EXCLUDED.organisation, created_at = EXCLUDED.created_at,
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

-- The statement of question_search for a direction (see there), with $1 the
-- tsquery, $2 the organisation, $3 the page size, $4 the status or NULL and
-- $5, $6 the key or NULLs.  Each visible set (own organisation, referred to
-- it) is paged on its own, by the GIN index or a walk of a time index,
-- whichever the planner expects to be cheaper for the word; the two pages
-- are merged.  Apart from the query, tests/db/test_search explains it.
CREATE FUNCTION question_search_sql(p_dir text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    v_op    text;
    v_order text;
    v_page  text;
BEGIN
    CASE p_dir
        WHEN 'older' THEN v_op := '<';  v_order := 'DESC';
        WHEN 'at'    THEN v_op := '<='; v_order := 'DESC';
        WHEN 'newer' THEN v_op := '>';  v_order := 'ASC';
        ELSE RAISE EXCEPTION 'question_search: unknown direction %', p_dir
                 USING ERRCODE = '22023';
    END CASE;
    -- one visible set: the matches that pass %s, in order, one page of them
    v_page := format(
        'SELECT f.question_id, f.created_at FROM loket.question_fts f '
        'WHERE f.words @@ $1 AND %%s '
        'AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM loket.question q '
        '     WHERE q.id = f.question_id AND q.status = $4)) '
        'AND ($5::timestamptz IS NULL OR (f.created_at, f.question_id) %s ($5, $6)) '
        'ORDER BY f.created_at %s, f.question_id %s LIMIT $3',
        v_op, v_order, v_order);
    RETURN format(
        'SELECT s.question_id, s.created_at FROM ((%s) UNION (%s)) s '
        'ORDER BY s.created_at %s, s.question_id %s LIMIT $3',
        format(v_page, 'f.organisation = $2'),
        format(v_page, 'EXISTS (SELECT 1 FROM loket.referral r '
                       'WHERE r.question_id = f.question_id '
                       'AND r.to_org = $2 AND r.status <> ''withdrawn'')'),
        v_order, v_order);
END $$;
REVOKE EXECUTE ON FUNCTION question_search_sql(text) FROM PUBLIC;

-- A page of the questions the caller may read whose text matches p_search
-- (websearch_to_tsquery, Dutch), with status p_status when that is not NULL,
-- in the case list's keyset order on (created_at, id):
--   'older'  newest first, rows before the key (all when the key is NULL)
--   'at'     newest first, the key's row and those before it
--   'newer'  oldest first, rows after the key (all when the key is NULL)
-- The statement is planned for each call with its values (EXECUTE ...
-- USING): a generic plan cannot tell a common word from a missing one.
CREATE FUNCTION question_search(p_search text, p_status text, p_key timestamptz,
                                p_key_id uuid, p_dir text, p_limit integer)
    RETURNS TABLE (id uuid, created_at timestamptz)
    LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 50
    SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    v_org   text := question_search_org();
    v_query tsquery := websearch_to_tsquery('dutch', coalesce(p_search, ''));
    v_sql   text := question_search_sql(p_dir);
BEGIN
    IF v_org IS NULL OR numnode(v_query) = 0 OR p_limit < 1 THEN
        RETURN;
    END IF;
    RETURN QUERY EXECUTE v_sql USING v_query, v_org, p_limit, p_status, p_key, p_key_id;
END $$;
REVOKE EXECUTE ON FUNCTION question_search(text, text, timestamptz, uuid, text, integer)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION question_search(text, text, timestamptz, uuid, text, integer)
    TO loket_advisor, loket_central;
