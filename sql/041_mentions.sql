-- 041_mentions.sql: a person's e-mail address or phone number typed into
-- the free text of other questions (issue 16, parts 4 and 6; found by the
-- walk: a number in a question's text was in no export and survived an
-- erasure).
--
--   - person_pattern(ids, email, phone): one regular expression that finds
--     the e-mail addresses and phone numbers of the clients of questions ids
--     and the ones asked for, however the numbers are written (06-1234 5678,
--     +31 6 12345678, (0)6...).
--   - person_mentions(region, pattern, except): the region's other
--     questions whose text, extra fields or referral notes match.
--   - privacy_export adds "mentioned_in": those questions' number,
--     organisation, text and notes (the officer decides what of another
--     person's question goes out).
--   - privacy_erase also replaces each mention in them, and in their
--     history, by '[verwijderd op verzoek]' (mentions_scrub), leaving the
--     rest of their text; event privacy_erased with "mention": true.  It
--     returns the number of questions changed either way.
-- Both read the whole region's texts (a sequential scan: about a second at
-- 1,000,000 questions), which is fine for a request a month.
SET LOCAL ROLE loket_owner;

CREATE FUNCTION person_pattern(p_ids uuid[], p_email text, p_phone text) RETURNS text
    LANGUAGE sql STABLE
    SET search_path = loket, pg_catalog, pg_temp AS $$
    WITH e AS (
        SELECT DISTINCT lower(x) AS email
          FROM (SELECT c.email FROM client c WHERE c.question_id = ANY (p_ids)
                UNION ALL SELECT p_email) AS t(x)
         WHERE x ~ '@'
    ), p AS (
        SELECT DISTINCT phone_canonical(x) AS phone
          FROM (SELECT c.phone FROM client c WHERE c.question_id = ANY (p_ids)
                UNION ALL SELECT p_phone) AS t(x)
         WHERE phone_canonical(x) ~ '^0[1-9][0-9]{8}$'
    )
    SELECT nullif(string_agg(pat, '|'), '')
      FROM (SELECT regexp_replace(email, '([.+*?^$(){}|\\[\]])', '\\\1', 'g') FROM e
            UNION ALL
            -- 0612345678: +31, 0031 or 0, a (0) perhaps, then 6, 1, 2, ...
            -- with spaces, dots, dashes or brackets between
            SELECT '(\+31|0031|0)[ .()-]*(\(0\)[ .()-]*)?'
                   || regexp_replace(substr(phone, 2), '([0-9])(?=[0-9])', '\1[ .()-]*', 'g')
              FROM p) AS t(pat)
$$;
REVOKE EXECUTE ON FUNCTION person_pattern(uuid[], text, text) FROM PUBLIC;

CREATE FUNCTION person_mentions(p_region text, p_pattern text, p_except uuid[])
    RETURNS uuid[]
    LANGUAGE sql STABLE
    SET search_path = loket, pg_catalog, pg_temp AS $$
    SELECT coalesce(array_agg(q.id ORDER BY q.number), '{}')
      FROM question q
     WHERE p_pattern IS NOT NULL AND q.region = p_region AND NOT q.id = ANY (p_except)
       AND (q.text ~* p_pattern OR q.extra::text ~* p_pattern
            OR EXISTS (SELECT 1 FROM referral r
                        WHERE r.question_id = q.id
                          AND concat_ws(' ', r.note, r.target_note, r.outcome_note,
                                        r.return_reason) ~* p_pattern))
$$;
REVOKE EXECUTE ON FUNCTION person_mentions(text, text, uuid[]) FROM PUBLIC;

-- Each match of p_pattern in questions p_ids' free text and its history
-- replaced by p_marker; the rest of the text stays.
CREATE FUNCTION mentions_scrub(p_ids uuid[], p_pattern text, p_marker text) RETURNS void
    LANGUAGE plpgsql
    SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    IF p_pattern IS NULL OR cardinality(p_ids) = 0 THEN
        RETURN;
    END IF;
    UPDATE question
       SET text = regexp_replace(text, p_pattern, p_marker, 'gi'),
           extra = (SELECT coalesce(jsonb_object_agg(k, regexp_replace(v, p_pattern, p_marker,
                                                                       'gi')), '{}')
                      FROM jsonb_each_text(extra) AS x(k, v))
     WHERE id = ANY (p_ids) AND (text ~* p_pattern OR extra::text ~* p_pattern);
    UPDATE referral
       SET note = regexp_replace(note, p_pattern, p_marker, 'gi'),
           target_note = regexp_replace(target_note, p_pattern, p_marker, 'gi'),
           outcome_note = regexp_replace(outcome_note, p_pattern, p_marker, 'gi'),
           return_reason = regexp_replace(return_reason, p_pattern, p_marker, 'gi')
     WHERE question_id = ANY (p_ids)
       AND concat_ws(' ', note, target_note, outcome_note, return_reason) ~* p_pattern;
    -- the history, the changes just made included
    UPDATE question_event e
       SET detail = (SELECT jsonb_object_agg(j.k, CASE
                         WHEN j.k = ANY (ARRAY['text', 'extra', 'note', 'target_note',
                                               'outcome_note', 'return_reason'])
                         THEN regexp_replace(j.v::text, p_pattern, p_marker, 'gi')::jsonb
                         ELSE j.v END)
                     FROM jsonb_each(e.detail) AS j(k, v))
     WHERE e.question_id = ANY (p_ids) AND e.kind IN ('updated', 'referral_updated')
       AND e.detail::text ~* p_pattern;
END $$;
REVOKE EXECUTE ON FUNCTION mentions_scrub(uuid[], text, text) FROM PUBLIC;

-- privacy_export and privacy_erase as 037 wrote them, with the mentions
-- (rewritten from their text, as 033 did; fails if they are not as 037 wrote them).
DO $$
DECLARE
    v_def text;
    v_at constant text := '''questions'', coalesce(';
    v_erase constant text := 'PERFORM person_erase(v_ids, ''[verwijderd op verzoek]'');';
    v_decl constant text := 'v_ids uuid[];';
    v_ret constant text := 'RETURN cardinality(v_ids);';
BEGIN
    v_def := pg_get_functiondef('loket.privacy_export(text, text, integer)'::regprocedure);
    IF position(v_at IN v_def) = 0 THEN
        RAISE EXCEPTION '041: privacy_export is not as 037 wrote it';
    END IF;
    EXECUTE replace(v_def, v_at,
        '''mentioned_in'', coalesce((SELECT jsonb_agg(jsonb_build_object(
            ''number'', q.number, ''organisation'', q.organisation, ''text'', q.text,
            ''extra'', q.extra,
            ''notes'', (SELECT coalesce(jsonb_agg(n ORDER BY n), ''[]'')
                        FROM referral r, unnest(ARRAY[r.note, r.target_note, r.outcome_note,
                                                      r.return_reason]) AS n
                       WHERE r.question_id = q.id AND n IS NOT NULL))
            ORDER BY q.number)
            FROM question q
           WHERE q.id = ANY (person_mentions(v_region, person_pattern(v_ids, p_email, p_phone),
                                             v_ids))), ''[]''),
        ' || v_at);

    v_def := pg_get_functiondef('loket.privacy_erase(integer, text)'::regprocedure);
    IF position(v_erase IN v_def) = 0 OR position(v_decl IN v_def) = 0
       OR position(v_ret IN v_def) = 0 THEN
        RAISE EXCEPTION '041: privacy_erase is not as 037 wrote it';
    END IF;
    v_def := replace(v_def, v_decl, v_decl || E'\n    v_pattern text;\n    v_mentions uuid[];');
    v_def := replace(v_def, v_erase,
        E'v_pattern := person_pattern(v_ids, NULL, NULL);\n    '
        || v_erase
        || E'\n    v_mentions := person_mentions(v_region, v_pattern, v_ids);'
        || E'\n    PERFORM mentions_scrub(v_mentions, v_pattern, ''[verwijderd op verzoek]'');'
        || E'\n    INSERT INTO question_event (question_id, actor, kind, detail)'
        || E'\n    SELECT x, invoker_role(), ''privacy_erased'','
        || E'\n           jsonb_strip_nulls(jsonb_build_object(''reason'', p_reason, ''mention'', true))'
        || E'\n      FROM unnest(v_mentions) AS x;');
    v_def := replace(v_def, v_ret, 'RETURN cardinality(v_ids) + cardinality(v_mentions);');
    EXECUTE v_def;
END $$;
