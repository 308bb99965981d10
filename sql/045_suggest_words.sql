-- 045_suggest_words.sql: the first-line suggestions without reading every
-- item's whole text per word (issue 17, part 4: `suggest` was the one desk
-- operation over 50 ms at p95 under load, 40 ms for one call, at any load).
--
-- knowledge_suggest (012) tolerated typos by word_similarity(w, text) for
-- every word w of the question against the title and tell-client text and
-- against the body of every live item: pg_trgm works out the trigrams of
-- the whole text on every call, 700 calls per suggestion.  Versions never
-- change, so their words are kept once, when a version is written
-- (knowledge_word, with a trigram index), and the typo terms look the
-- question's words up there: the same threshold (word_similarity >= 0.6,
-- pg_trgm's `<%`), the best word of the text instead of the best stretch of
-- it (the same for one word).  The score is otherwise as 012 made it.
SET LOCAL ROLE loket_owner;

CREATE TABLE knowledge_word (
    version_id bigint NOT NULL REFERENCES knowledge_version ON DELETE CASCADE,
    part       char(1) NOT NULL CHECK (part IN ('t', 'b')),  -- title and tell-client, body
    word       text NOT NULL,
    PRIMARY KEY (version_id, part, word)
);
CREATE INDEX knowledge_word_trgm ON knowledge_word USING gin (word public.gin_trgm_ops);
COMMENT ON TABLE knowledge_word IS
    'loket: the words of each knowledge version, for typo-tolerant suggestions (045)';
ALTER TABLE knowledge_word ENABLE ROW LEVEL SECURITY;
ALTER TABLE knowledge_word FORCE ROW LEVEL SECURITY;
-- readable as the versions are (018: by everyone); written by the owner only
CREATE POLICY knowledge_word_read ON knowledge_word FOR SELECT USING (true);
CREATE POLICY knowledge_word_owner ON knowledge_word TO loket_owner USING (true) WITH CHECK (true);
GRANT SELECT ON knowledge_word TO loket_advisor, loket_central, loket_supervisor, loket_editor,
    loket_admin;

CREATE FUNCTION knowledge_words_of(p_title text, p_tell text, p_body text)
    RETURNS TABLE (part char(1), word text)
    LANGUAGE sql IMMUTABLE
    SET search_path = loket, pg_catalog, pg_temp AS $$
    SELECT DISTINCT x.part, x.w
      FROM (SELECT 't'::char(1), regexp_split_to_table(lower(coalesce(p_title, '') || ' '
                                                       || coalesce(p_tell, '')), '[^[:alnum:]]+')
            UNION ALL
            SELECT 'b'::char(1), regexp_split_to_table(lower(coalesce(p_body, '')),
                                                      '[^[:alnum:]]+')) AS x(part, w)
     WHERE char_length(x.w) >= 3
$$;

CREATE FUNCTION knowledge_words_write() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO knowledge_word (version_id, part, word)
    SELECT NEW.id, w.part, w.word FROM knowledge_words_of(NEW.title, NEW.tell_client, NEW.body) w
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
REVOKE EXECUTE ON FUNCTION knowledge_words_write() FROM PUBLIC;
CREATE TRIGGER knowledge_words_write AFTER INSERT ON knowledge_version
    FOR EACH ROW EXECUTE FUNCTION knowledge_words_write();

INSERT INTO knowledge_word (version_id, part, word)
SELECT v.id, w.part, w.word
  FROM knowledge_version v, knowledge_words_of(v.title, v.tell_client, v.body) w
ON CONFLICT DO NOTHING;

-- 012's knowledge_suggest with the two typo terms looked up (rewritten from
-- its text, 033's way; fails if it is not as 012 wrote it).
DO $$
DECLARE
    v_def text := pg_get_functiondef(
        'loket.knowledge_suggest(text, text, integer)'::regprocedure);
    v_words constant text := $w$    ), scored AS ($w$;
    v_title constant text := $t$word_similarity(w, lower(c.title || ' ' || c.tell_client))$t$;
    v_body constant text := $b$                                SELECT word_similarity(w, lower(c.body)) AS ws FROM words) s$b$;
BEGIN
    IF position(v_words IN v_def) = 0 OR position(v_title IN v_def) = 0
       OR position(v_body IN v_def) = 0 THEN
        RAISE EXCEPTION '045: knowledge_suggest is not as 012 wrote it';
    END IF;
    -- each word's best match among each version's words, once
    v_def := replace(v_def, v_words,
        $n$    ), typo AS (         -- per version, part and word: its best typo match there
        SELECT k.version_id, k.part, words.w, max(word_similarity(words.w, k.word)) AS ws
          FROM words JOIN knowledge_word k ON words.w <% k.word
         GROUP BY 1, 2, 3
$n$ || v_words);
    v_def := replace(v_def, v_title,
        $n$coalesce((SELECT t.ws FROM typo t WHERE t.version_id = c.id AND t.part = 't' AND t.w = words.w), 0)$n$);
    v_def := replace(v_def, v_body,
        $n$                                SELECT t.ws FROM typo t WHERE t.version_id = c.id AND t.part = 'b') s$n$);
    EXECUTE v_def;
END $$;
