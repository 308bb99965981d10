-- 009_knowledge_rank: better first-line suggestions.
--  * Where a word matches counts: the title (weight A) above what to tell the
--    client (B) above the body (C).
--  * Dutch writes compounds as one word, advisors often do not (and the other
--    way round): "stapbudget" for "STAP-budget", "levenlang leren krediet" for
--    "Levenlanglerenkrediet".  The question's letters and digits, run
--    together, are compared by trigram word similarity with the title's, run
--    together as well.
--  * Typo tolerance per word, as before, but against the title and the text
--    for the client only (the body is long, and a long text has a close
--    trigram match for almost any word), and against the title run together,
--    so that one word of a question can find a compound written apart.
SET LOCAL ROLE loket_owner;

CREATE OR REPLACE FUNCTION knowledge_suggest(p_topic text, p_text text, p_limit integer DEFAULT 8)
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
        SELECT to_tsquery('dutch', string_agg(quote_literal(l), ' | ')) AS query,
               -- letters and digits only, run together, for compounds
               regexp_replace(lower(coalesce(p_text, '')), '[^[:alnum:]]+', '', 'g') AS joined
          FROM unnest(tsvector_to_array(to_tsvector('dutch', coalesce(p_text, '')))) AS l
    ), words AS (        -- the words as typed, for typos
        SELECT DISTINCT w
          FROM regexp_split_to_table(lower(coalesce(p_text, '')), '[^[:alnum:]]+') AS w
         WHERE char_length(w) >= 4
    ), scored AS (
        SELECT c.*,
               (CASE WHEN p_topic = ANY (c.topics) THEN 0.5 ELSE 0 END
                + coalesce(2 * ts_rank(
                      setweight(to_tsvector('dutch', c.title), 'A')
                      || setweight(to_tsvector('dutch', c.tell_client), 'B')
                      || setweight(to_tsvector('dutch', c.body), 'C'), q.query), 0)
                + CASE WHEN char_length(q.joined) >= 5 THEN
                      coalesce(nullif(greatest(word_similarity(q.joined,
                          regexp_replace(lower(c.title), '[^[:alnum:]]+', '', 'g')) - 0.6, 0), 0)
                               * 2.5, 0)
                  ELSE 0 END
                + coalesce((SELECT sum(ws) FROM (
                                SELECT greatest(
                                           word_similarity(w, lower(c.title || ' ' || c.tell_client)),
                                           word_similarity(w, regexp_replace(lower(c.title),
                                                                             '[^[:alnum:]]+', '', 'g')))
                                       AS ws
                                  FROM words) s
                             WHERE ws >= 0.6), 0) * 0.3
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
