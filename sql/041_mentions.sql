-- 041_mentions.sql: a person's e-mail address or phone number typed into
-- the free text of other questions (issue 16, parts 4 and 6; found by the
-- walk: a number in a question's text was in no export and survived an
-- erasure).
--
--   - person_keys(ids, email, phone): the e-mail addresses and phone
--     numbers of the clients of questions ids and the ones asked for, in one
--     form (contact_canonical: lower case; 06..., however it was written).
--   - person_mentions(region, keys, except): where the region's other
--     questions' text, extra fields, referral notes or their history name
--     one of them, and the string as typed there.  Every address and number
--     in the region's free text is found in one pass and compared, so it
--     takes about a second at 1,000,000 questions however many keys.
--   - contact_regex() and text_mentions(text, keys): what an address or a
--     number looks like, and those of one text among the keys; also used by
--     043's withdrawal.
--   - mention_replace(question, found, marker) replaces one string in a
--     question's texts and history; scrub_mark(ids) marks the events a
--     scrub's own changes wrote, which the screens leave out.
--   - privacy_export adds "mentioned_in": those questions' number,
--     organisation, text and notes (the officer decides what of another
--     person's question goes out, art. 15(4)).
--   - privacy_erase also replaces each mention, and the same string in the
--     history, by '[verwijderd op verzoek]' (mentions_scrub), leaving the
--     rest of the text; event privacy_erased with "mention": true.  It
--     returns the number of questions changed either way.
--   - privacy_person (038) answers from two new indexes on client instead
--     of working out every client row (23 s at 1,000,000 questions).
SET LOCAL ROLE loket_owner;

-- An e-mail address in lower case, a Dutch phone number as phone_canonical
-- writes it (with a "(0)" after +31 left out).
CREATE FUNCTION contact_canonical(s text) RETURNS text
    LANGUAGE sql IMMUTABLE
    SET search_path = loket, pg_catalog, pg_temp AS $$
    SELECT CASE WHEN s ~ '@' THEN lower(s) ELSE phone_canonical(replace(s, '(0)', '')) END
$$;

-- The e-mail addresses and phone numbers of the clients of questions p_ids
-- and the ones asked for, in that form.
CREATE FUNCTION person_keys(p_ids uuid[], p_email text, p_phone text) RETURNS text[]
    LANGUAGE sql STABLE
    SET search_path = loket, pg_catalog, pg_temp AS $$
    SELECT coalesce(array_agg(DISTINCT contact_canonical(x)), '{}')
      FROM (SELECT c.email FROM client c WHERE c.question_id = ANY (p_ids)
            UNION ALL SELECT c.phone FROM client c WHERE c.question_id = ANY (p_ids)
            UNION ALL SELECT p_email UNION ALL SELECT p_phone) AS t(x)
     WHERE x IS NOT NULL AND x <> ''
$$;
REVOKE EXECUTE ON FUNCTION person_keys(uuid[], text, text) FROM PUBLIC;

-- Where the region's free text names one of p_keys, outside questions
-- p_except: the question, and the string as it was typed.  The text of the
-- questions (and their extra fields), the referrals' notes and the history
-- of both are read once, and every address or number in them is worked out
-- and compared (about a second at 1,000,000 questions, however many keys).
-- What an e-mail address or a phone number (Dutch, or + and a country
-- code) looks like in free text: one expression for person_mentions and
-- text_mentions.  Without SET search_path, so that the planner folds it to
-- a constant.
CREATE FUNCTION contact_regex() RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
    SELECT '[[:alnum:]._%+-]+@[[:alnum:]-]+(?:\.[[:alnum:]-]+)*\.[[:alpha:]]{2,}'
           '|(?:\+31|0031|0)[ .()-]*(?:\(0\)[ .()-]*)?[1-9](?:[ .()-]*[0-9]){8}'
           '|\+[1-9](?:[ .()-]*[0-9]){7,14}'
$$;

-- The addresses and numbers in one text that are among p_keys, as typed.
CREATE FUNCTION text_mentions(p_text text, p_keys text[]) RETURNS SETOF text
    LANGUAGE sql IMMUTABLE
    SET search_path = loket, pg_catalog, pg_temp AS $$
    SELECT DISTINCT m.s[1]
      FROM regexp_matches(p_text, contact_regex(), 'g') AS m(s)
     WHERE p_text ~ '@|[0-9]' AND contact_canonical(m.s[1]) = ANY (p_keys)
$$;

CREATE FUNCTION person_mentions(p_region text, p_keys text[], p_except uuid[])
    RETURNS TABLE (question_id uuid, mention text)
    LANGUAGE sql STABLE
    SET search_path = loket, pg_catalog, pg_temp AS $$
    -- only texts with an @ or a digit are looked at more closely, and only
    -- for those is the region looked up
    WITH t(id, t) AS (
        SELECT q.id, x.t
          FROM question q, LATERAL (SELECT concat_ws(' ', q.text, nullif(q.extra, '{}')::text)) AS x(t)
         WHERE q.region = p_region AND x.t ~ '@|[0-9]'
        UNION ALL
        SELECT r.question_id, x.t
          FROM referral r, LATERAL (SELECT concat_ws(' ', r.note, r.target_note, r.outcome_note,
                                                     r.return_reason)) AS x(t)
         WHERE x.t ~ '@|[0-9]'
           AND EXISTS (SELECT 1 FROM question q WHERE q.id = r.question_id AND q.region = p_region)
        UNION ALL
        SELECT e.question_id, e.detail::text
          FROM question_event e
         WHERE e.kind IN ('updated', 'referral_updated')
           AND e.detail ?| ARRAY['text', 'extra', 'note', 'target_note', 'outcome_note',
                                 'return_reason']
           AND e.detail::text ~ '@|[0-9]'
           AND EXISTS (SELECT 1 FROM question q WHERE q.id = e.question_id AND q.region = p_region)
    )
    -- every address and number found, then compared (OFFSET 0: the keys
    -- and the exceptions only for what was found, not for every text)
    SELECT DISTINCT y.id, y.mention
      FROM (SELECT t.id, m.s[1] AS mention
              FROM t, regexp_matches(t.t, contact_regex(), 'g') AS m(s)
             WHERE cardinality(p_keys) > 0
            OFFSET 0) AS y
     WHERE contact_canonical(y.mention) = ANY (p_keys) AND NOT y.id = ANY (p_except)
$$;
REVOKE EXECUTE ON FUNCTION person_mentions(text, text[], uuid[]) FROM PUBLIC;

-- One string found in question p_question replaced by p_marker in its
-- text, extra fields, referral notes and their history (the rest of the
-- text stays; the history's changes just made included: an address or
-- number holds no character JSON escapes).
CREATE FUNCTION mention_replace(p_question uuid, p_found text, p_marker text) RETURNS void
    LANGUAGE sql
    SET search_path = loket, pg_catalog, pg_temp AS $$
    UPDATE question
       SET text = replace(text, p_found, p_marker),
           extra = replace(extra::text, p_found, p_marker)::jsonb
     WHERE id = p_question
       AND (strpos(text, p_found) > 0 OR strpos(extra::text, p_found) > 0);
    UPDATE referral
       SET note = replace(note, p_found, p_marker),
           target_note = replace(target_note, p_found, p_marker),
           outcome_note = replace(outcome_note, p_found, p_marker),
           return_reason = replace(return_reason, p_found, p_marker)
     WHERE question_id = p_question
       AND strpos(concat_ws(' ', note, target_note, outcome_note, return_reason), p_found) > 0;
    UPDATE question_event
       SET detail = replace(detail::text, p_found, p_marker)::jsonb
     WHERE question_id = p_question AND kind IN ('updated', 'referral_updated')
       AND strpos(detail::text, p_found) > 0;
$$;
REVOKE EXECUTE ON FUNCTION mention_replace(uuid, text, text) FROM PUBLIC;

-- The 'updated' and 'referral_updated' events this transaction's own
-- changes of questions p_ids wrote (their `at` is the transaction's start),
-- marked as a scrub's: the screens leave them out, since the erasure's or
-- withdrawal's own event says what happened (only the owner writes event
-- details, so nobody else can hide a change this way).
CREATE FUNCTION scrub_mark(p_ids uuid[]) RETURNS void
    LANGUAGE sql
    SET search_path = loket, pg_catalog, pg_temp AS $$
    UPDATE question_event
       SET detail = detail || '{"scrub": true}'
     WHERE question_id = ANY (p_ids) AND kind IN ('updated', 'referral_updated')
       AND at = now() AND NOT detail ? 'scrub'
$$;
REVOKE EXECUTE ON FUNCTION scrub_mark(uuid[]) FROM PUBLIC;

-- Each string person_mentions finds replaced by p_marker (mention_replace),
-- longest first; returns the questions changed.
CREATE FUNCTION mentions_scrub(p_region text, p_keys text[], p_except uuid[], p_marker text)
    RETURNS uuid[]
    LANGUAGE plpgsql
    SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    m record;
    v_ids uuid[] := '{}';
BEGIN
    FOR m IN SELECT * FROM person_mentions(p_region, p_keys, p_except)
             ORDER BY question_id, length(mention) DESC LOOP
        v_ids := v_ids || m.question_id;
        PERFORM mention_replace(m.question_id, m.mention, p_marker);
    END LOOP;
    v_ids := ARRAY(SELECT DISTINCT x FROM unnest(v_ids) AS x);
    PERFORM scrub_mark(v_ids);
    RETURN v_ids;
END $$;
REVOKE EXECUTE ON FUNCTION mentions_scrub(text, text[], uuid[], text) FROM PUBLIC;

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
           WHERE q.id IN (SELECT m.question_id
                            FROM person_mentions(v_region, person_keys(v_ids, p_email, p_phone),
                                                 v_ids) AS m)), ''[]''),
        ' || v_at);

    v_def := pg_get_functiondef('loket.privacy_erase(integer, text)'::regprocedure);
    IF position(v_erase IN v_def) = 0 OR position(v_decl IN v_def) = 0
       OR position(v_ret IN v_def) = 0 THEN
        RAISE EXCEPTION '041: privacy_erase is not as 037 wrote it';
    END IF;
    v_def := replace(v_def, v_decl, v_decl || E'\n    v_keys text[];\n    v_mentions uuid[];');
    v_def := replace(v_def, v_erase,
        E'v_keys := person_keys(v_ids, NULL, NULL);\n    '
        || v_erase
        || E'\n    v_mentions := mentions_scrub(v_region, v_keys, v_ids, ''[verwijderd op verzoek]'');'
        || E'\n    INSERT INTO question_event (question_id, actor, kind, detail)'
        || E'\n    SELECT x, invoker_role(), ''privacy_erased'','
        || E'\n           jsonb_strip_nulls(jsonb_build_object(''reason'', p_reason, ''mention'', true))'
        || E'\n      FROM unnest(v_mentions) AS x;');
    v_def := replace(v_def, v_ret, 'RETURN cardinality(v_ids) + cardinality(v_mentions);');
    EXECUTE v_def;
END $$;

-- privacy_person (038) compared every client's lower(email) and
-- phone_canonical(phone) with an OR in its join, so it read and worked out
-- every client row: 23 s at 1,000,000 questions (found measuring this
-- migration).  Now each comparison is an equality an index answers.
CREATE INDEX client_email_lower ON client (lower(email)) WHERE email IS NOT NULL;
CREATE INDEX client_phone_canonical ON client (phone_canonical(phone)) WHERE phone IS NOT NULL;

CREATE OR REPLACE FUNCTION privacy_person(p_region text, p_email text, p_phone text,
                                          p_number integer)
    RETURNS uuid[]
    LANGUAGE sql STABLE
    SET search_path = loket, pg_catalog, pg_temp AS $$
    WITH seed AS (
        SELECT c.question_id, lower(c.email) AS email, phone_canonical(c.phone) AS phone
          FROM client c JOIN question q ON q.id = c.question_id
         WHERE q.region = p_region AND q.number = p_number
        UNION
        SELECT c.question_id, lower(c.email), phone_canonical(c.phone)
          FROM client c JOIN question q ON q.id = c.question_id
         WHERE q.region = p_region AND lower(c.email) = lower(p_email)
           AND c.email IS NOT NULL
        UNION
        SELECT c.question_id, lower(c.email), phone_canonical(c.phone)
          FROM client c JOIN question q ON q.id = c.question_id
         WHERE q.region = p_region AND phone_canonical(c.phone) = phone_canonical(p_phone)
           AND c.phone IS NOT NULL
        UNION
        SELECT q.id, NULL, NULL FROM question q
         WHERE q.region = p_region AND q.number = p_number
    )
    SELECT coalesce(array_agg(DISTINCT x.id), '{}')
      FROM (SELECT s.question_id AS id FROM seed s
            UNION
            SELECT c.question_id FROM client c JOIN question q ON q.id = c.question_id
             WHERE q.region = p_region AND c.email IS NOT NULL
               AND lower(c.email) IN (SELECT s.email FROM seed s)
            UNION
            SELECT c.question_id FROM client c JOIN question q ON q.id = c.question_id
             WHERE q.region = p_region AND c.phone IS NOT NULL
               AND phone_canonical(c.phone) IN (SELECT s.phone FROM seed s)) AS x
$$;
