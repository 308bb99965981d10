-- 043_consent_again.sql: what the second walk of issue 16 found.
--
--   - Consent given again after a withdrawal (a new referral with consent,
--     which stores the details again) was stored, but the row kept
--     consent_withdrawn_at and anonymised_at: every screen said "toestemming
--     ingetrokken" and the purge, which skips anonymised rows, would never
--     remove the new details.  Now new consent with details clears both
--     (client_owned).
--     The history shows the change as client_updated.
--   - A withdrawal of consent removed the contact details but left the same
--     address or number where it was typed into the question's own text,
--     notes or their history: now they are replaced there by
--     '[toestemming ingetrokken]' too (question_mentions_scrub).
--     The events that change writes are marked as a scrub's (041's
--     scrub_mark), as the erasure's are.
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

-- p_keys where they are typed in question p_question's text, extra fields,
-- notes and their history, replaced by p_marker (041's text_mentions,
-- mention_replace and scrub_mark, for one question).
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
        SELECT x FROM (
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
         GROUP BY x
         ORDER BY length(x) DESC  -- the longest first: one may hold another
    LOOP
        PERFORM mention_replace(p_question, v_found, p_marker);
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
