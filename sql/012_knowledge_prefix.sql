-- 012_knowledge_prefix: search as you type.  In the knowledge base browser
-- the last word is usually half typed ("financie"); 009 matched whole words
-- only, so the list went empty while typing.  Every word of the question now
-- also matches as a prefix of a stemmed word, and the typo tolerance looks
-- at the body again (at a lower weight than title and client text).
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
    ), q AS (            -- the question's words, stemmed, any of them, also as prefixes
        SELECT to_tsquery('dutch', string_agg(quote_literal(l), ' | ')) AS query,
               to_tsquery('dutch', string_agg(quote_literal(l) || ':*', ' | ')) AS prefixes,
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
                + coalesce(2 * ts_rank(d.doc, q.query), 0)
                + coalesce(0.5 * ts_rank(d.doc, q.prefixes), 0)
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
                + coalesce((SELECT sum(ws) FROM (
                                SELECT word_similarity(w, lower(c.body)) AS ws FROM words) s
                             WHERE ws >= 0.6), 0) * 0.1
               )::real AS score
          FROM cur c
          CROSS JOIN q
          CROSS JOIN LATERAL (SELECT setweight(to_tsvector('dutch', c.title), 'A')
                                     || setweight(to_tsvector('dutch', c.tell_client), 'B')
                                     || setweight(to_tsvector('dutch', c.body), 'C') AS doc) d
    )
    SELECT item_id, id, version_no, title, tell_client, body, link, review_by,
           review_by < current_date, score
      FROM scored
     WHERE score > 0
        OR (p_topic IS NULL AND btrim(coalesce(p_text, '')) = '')  -- browsing: everything
     ORDER BY score DESC, title
     LIMIT greatest(1, least(p_limit, 50))
$$;
