-- 007_knowledge_search: which first-line information fits a question.
-- Dutch stemming through full-text search with the 'dutch' configuration,
-- typos tolerated through trigram word similarity (pg_trgm), items on the
-- question's topic first, and a flag for items past their review date.
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;

SET LOCAL ROLE loket_owner;

CREATE FUNCTION knowledge_suggest(p_topic text, p_text text, p_limit integer DEFAULT 8)
RETURNS TABLE (item_id bigint, version_id bigint, version_no integer, title text,
               tell_client text, body text, link text, review_by date,
               past_review boolean, score real)
LANGUAGE sql STABLE
SET search_path = loket, public, pg_catalog, pg_temp
AS $$
    WITH cur AS (        -- the current version of every live item of the region
        SELECT DISTINCT ON (v.item_id) v.*
          FROM knowledge_version v
          JOIN knowledge_item i ON i.id = v.item_id
         WHERE i.retired_at IS NULL
           AND i.region = coalesce(my_region(), i.region)
           AND v.valid_from <= current_date
         ORDER BY v.item_id, v.version_no DESC
    ), q AS (            -- the question's words, stemmed, any of them
        SELECT to_tsquery('dutch', string_agg(quote_literal(l), ' | ')) AS query
          FROM unnest(tsvector_to_array(to_tsvector('dutch', coalesce(p_text, '')))) AS l
    ), words AS (        -- the words as typed, for typos
        SELECT DISTINCT w
          FROM regexp_split_to_table(lower(coalesce(p_text, '')), '[^[:alnum:]]+') AS w
         WHERE char_length(w) >= 4
    ), scored AS (
        SELECT c.*,
               (CASE WHEN p_topic = ANY (c.topics) THEN 0.5 ELSE 0 END
                + coalesce(2 * ts_rank(to_tsvector('dutch', c.title || ' ' || c.tell_client
                                                   || ' ' || c.body), q.query), 0)
                + coalesce((SELECT sum(ws) FROM (
                                SELECT word_similarity(w, lower(c.title || ' ' || c.tell_client
                                                                || ' ' || c.body)) AS ws
                                  FROM words) s
                             WHERE ws >= 0.5), 0) * 0.3
               )::real AS score
          FROM cur c CROSS JOIN q
    )
    SELECT item_id, id, version_no, title, tell_client, body, link, review_by,
           review_by < current_date, score
      FROM scored
     WHERE score > 0
        OR (p_topic IS NULL AND btrim(coalesce(p_text, '')) = '')  -- browsing: everything
     ORDER BY score DESC, title
     LIMIT greatest(1, least(p_limit, 50))
$$;

GRANT EXECUTE ON FUNCTION knowledge_suggest(text, text, integer)
    TO loket_advisor, loket_central, loket_supervisor, loket_editor;
