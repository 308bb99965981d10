-- 043_consent_again.sql: what the second walk of issue 16 found.
--
--   - Consent given again after a withdrawal (a new referral with consent,
--     which stores the details again) was stored, but the row kept
--     consent_withdrawn_at and anonymised_at: every screen said "toestemming
--     ingetrokken" and the purge, which skips anonymised rows, would never
--     remove the new details.  Now new consent with details clears both
--     (client_owned).
--     The history shows the change as client_updated (a withdrawal alone
--     stays one consent_withdrawn event).
--   - A withdrawal of consent removed the contact details but left the same
--     address or number where it was typed into the question's own text,
--     notes or their history: now they are replaced there by
--     '[toestemming ingetrokken]' too (question_mentions_scrub).
--   - The changes a scrub makes by itself (the mentions an erasure or a
--     withdrawal takes out of a text) wrote 'updated' events whose old and
--     new text, once scrubbed, are the same: the history showed "question
--     changed" lines that say nothing.  They stay (the history is
--     append-only) with "scrub": true in their detail, which only the owner
--     can write, and the screens leave them out: the erasure's or the
--     withdrawal's own event says what happened.
--   - question_contact_moved wrote a 'contact_moved' event even when no
--     earlier version held the strings: an advisor could add lines to a
--     history that way.  Now nothing changed, nothing is written.
SET LOCAL ROLE loket_owner;

-- 024's client_owned: an anonymisation stays dated and is never undone by
-- a change, but consent given anew with new details starts afresh.
CREATE OR REPLACE FUNCTION client_owned() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    v_renewed boolean := TG_OP = 'UPDATE' AND NEW.consent_at IS NOT NULL
                         AND NEW.consent_at IS DISTINCT FROM OLD.consent_at
                         AND num_nonnulls(NEW.name, NEW.email, NEW.phone, NEW.company_name,
                                          NEW.kvk_number) > 0;
BEGIN
    IF trusted_writer() THEN
        RETURN NEW;
    END IF;
    IF NEW.consent_at IS NULL THEN
        NEW.consent_by := NULL;
    ELSIF TG_OP = 'INSERT' OR NEW.consent_at IS DISTINCT FROM OLD.consent_at THEN
        NEW.consent_at := now();
        NEW.consent_by := current_user;
    END IF;
    IF TG_OP = 'INSERT' THEN
        NEW.anonymised_at := NULL;
        NEW.created_at := now();
        NEW.updated_at := now();
        NEW.version := 1;
    ELSIF v_renewed THEN
        NEW.anonymised_at := NULL;
        NEW.consent_withdrawn_at := NULL;
    ELSIF OLD.anonymised_at IS NOT NULL THEN
        NEW.anonymised_at := OLD.anonymised_at;
    ELSIF NEW.anonymised_at IS NOT NULL THEN
        NEW.anonymised_at := now();
    END IF;
    RETURN NEW;
END $$;

-- 040's client_log: only a withdrawal itself is left to its own event.
CREATE OR REPLACE FUNCTION client_log() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO question_event (question_id, actor, kind, detail)
        SELECT n.question_id, invoker_role(), 'client_saved',
               jsonb_build_object('kind', n.kind, 'consent', n.consent_at IS NOT NULL)
        FROM new_rows n;
    ELSE
        INSERT INTO question_event (question_id, actor, kind, detail)
        SELECT n.question_id, invoker_role(), 'client_updated',
               jsonb_build_object('fields', (SELECT jsonb_agg(k ORDER BY k)
                                             FROM jsonb_object_keys(d.diff) k))
        FROM new_rows n
        JOIN old_rows o ON o.question_id = n.question_id
        CROSS JOIN LATERAL (SELECT row_diff(to_jsonb(o), to_jsonb(n)) AS diff) d
        WHERE d.diff <> '{}'
          AND NOT (o.consent_withdrawn_at IS NULL AND n.consent_withdrawn_at IS NOT NULL);
    END IF;
    RETURN NULL;
END $$;

-- The 'updated' and 'referral_updated' events this transaction's own
-- changes of questions p_ids wrote (their `at` is the transaction's start):
-- marked as a scrub's, so the screens leave them out.
CREATE FUNCTION scrub_mark(p_ids uuid[]) RETURNS void
    LANGUAGE sql
    SET search_path = loket, pg_catalog, pg_temp AS $$
    UPDATE question_event
       SET detail = detail || '{"scrub": true}'
     WHERE question_id = ANY (p_ids) AND kind IN ('updated', 'referral_updated')
       AND at = now() AND NOT detail ? 'scrub'
$$;
REVOKE EXECUTE ON FUNCTION scrub_mark(uuid[]) FROM PUBLIC;

-- 041's mentions_scrub, marking its own events.
DO $$
DECLARE
    v_def text := pg_get_functiondef('loket.mentions_scrub(text, text[], uuid[], text)'::regprocedure);
    v_at constant text := 'RETURN ARRAY(SELECT DISTINCT x FROM unnest(v_ids) AS x);';
BEGIN
    IF position(v_at IN v_def) = 0 THEN
        RAISE EXCEPTION '043: mentions_scrub is not as 041 wrote it';
    END IF;
    EXECUTE replace(v_def, v_at, E'PERFORM scrub_mark(v_ids);\n    ' || v_at);
END $$;

-- The addresses and numbers in one text that are among p_keys, as typed
-- (person_mentions' expression, for one question's texts).
CREATE FUNCTION text_mentions(p_text text, p_keys text[]) RETURNS SETOF text
    LANGUAGE sql IMMUTABLE
    SET search_path = loket, pg_catalog, pg_temp AS $$
    SELECT DISTINCT m.s[1]
      FROM regexp_matches(p_text, '[[:alnum:]._%+-]+@[[:alnum:]-]+(?:\.[[:alnum:]-]+)*\.[[:alpha:]]{2,}'
                                  '|(?:\+31|0031|0)[ .()-]*(?:\(0\)[ .()-]*)?[1-9](?:[ .()-]*[0-9]){8}'
                                  '|\+[1-9](?:[ .()-]*[0-9]){7,14}',
                          'g') AS m(s)
     WHERE p_text ~ '@|[0-9]' AND contact_canonical(m.s[1]) = ANY (p_keys)
$$;

-- p_keys where they are typed in question p_question's text, extra fields,
-- notes and their history, replaced by p_marker.
CREATE FUNCTION question_mentions_scrub(p_question uuid, p_keys text[], p_marker text)
    RETURNS void
    LANGUAGE plpgsql
    SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    v_found text;
BEGIN
    IF cardinality(p_keys) = 0 THEN
        RETURN;
    END IF;
    FOR v_found IN
        SELECT DISTINCT x FROM (
            SELECT text_mentions(concat_ws(' ', q.text, q.extra::text), p_keys) AS x
              FROM question q WHERE q.id = p_question
            UNION ALL
            SELECT text_mentions(concat_ws(' ', r.note, r.target_note, r.outcome_note,
                                           r.return_reason), p_keys)
              FROM referral r WHERE r.question_id = p_question
            UNION ALL
            SELECT text_mentions(e.detail::text, p_keys)
              FROM question_event e
             WHERE e.question_id = p_question AND e.kind IN ('updated', 'referral_updated')) m
         ORDER BY 1 DESC
    LOOP
        UPDATE question
           SET text = replace(text, v_found, p_marker),
               extra = replace(extra::text, v_found, p_marker)::jsonb
         WHERE id = p_question
           AND (strpos(text, v_found) > 0 OR strpos(extra::text, v_found) > 0);
        UPDATE referral
           SET note = replace(note, v_found, p_marker),
               target_note = replace(target_note, v_found, p_marker),
               outcome_note = replace(outcome_note, v_found, p_marker),
               return_reason = replace(return_reason, v_found, p_marker)
         WHERE question_id = p_question
           AND strpos(concat_ws(' ', note, target_note, outcome_note, return_reason),
                      v_found) > 0;
        UPDATE question_event
           SET detail = replace(detail::text, v_found, p_marker)::jsonb
         WHERE question_id = p_question AND kind IN ('updated', 'referral_updated')
           AND strpos(detail::text, v_found) > 0;
    END LOOP;
    PERFORM scrub_mark(ARRAY[p_question]);
END $$;
REVOKE EXECUTE ON FUNCTION question_mentions_scrub(uuid, text[], text) FROM PUBLIC;

-- 037's withdrawal, and the mentions in the question's own text (rewritten
-- from its text, 033's way; fails if it is not as 037 wrote it).
DO $$
DECLARE
    v_def text := pg_get_functiondef('loket.client_withdraw_consent(uuid)'::regprocedure);
    v_at constant text := 'UPDATE client SET name = NULL';
BEGIN
    IF position(v_at IN v_def) = 0 THEN
        RAISE EXCEPTION '043: client_withdraw_consent is not as 037 wrote it';
    END IF;
    EXECUTE replace(v_def, v_at,
        'PERFORM question_mentions_scrub(p_question, person_keys(ARRAY[p_question], NULL, NULL),'
        || E'\n                                    ''[toestemming ingetrokken]'');\n    '
        || v_at);
END $$;

-- 040's question_contact_moved: no event when no earlier version held them.
DO $$
DECLARE
    v_def text := pg_get_functiondef('loket.question_contact_moved(uuid, text[])'::regprocedure);
    v_at constant text := 'INSERT INTO question_event (question_id, actor, kind, detail)';
BEGIN
    IF position(v_at IN v_def) = 0 THEN
        RAISE EXCEPTION '043: question_contact_moved is not as 040 wrote it';
    END IF;
    EXECUTE replace(v_def, v_at, E'IF v_n = 0 THEN\n        RETURN 0;\n    END IF;\n    ' || v_at);
END $$;
