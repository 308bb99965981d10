-- 039_purge_erases.sql: the retention purge's text step and the erasure on
-- request remove the same things in one place (review of 036 and 037).
--
-- 036's privacy_purge wrote its own statements for a question's contact
-- details, text, referral notes and history; 037's person_erase wrote the
-- same again, and also the errors of mails sent (which may quote an
-- address), which the purge therefore left.  Now the purge's text step calls
-- person_erase, which says how many clients' details it removed.
SET LOCAL ROLE loket_owner;

DROP FUNCTION person_erase(uuid[], text);
-- As in 037; returns how many clients' details it removed now.
CREATE FUNCTION person_erase(p_ids uuid[], p_marker text) RETURNS integer
    LANGUAGE plpgsql
    SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    v_n integer;
BEGIN
    UPDATE client SET name = NULL, email = NULL, phone = NULL, company_name = NULL,
                      kvk_number = NULL, anonymised_at = coalesce(anonymised_at, now())
     WHERE question_id = ANY (p_ids)
       AND (anonymised_at IS NULL
            OR num_nonnulls(name, email, phone, company_name, kvk_number) > 0);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    UPDATE question SET text = p_marker WHERE id = ANY (p_ids) AND text <> p_marker;
    UPDATE referral
       SET note = CASE WHEN note IS NOT NULL THEN p_marker END,
           target_note = CASE WHEN target_note IS NOT NULL THEN p_marker END,
           outcome_note = CASE WHEN outcome_note IS NOT NULL THEN p_marker END,
           return_reason = CASE WHEN return_reason IS NOT NULL THEN p_marker END
     WHERE question_id = ANY (p_ids)
       AND EXISTS (SELECT 1 FROM unnest(ARRAY[note, target_note, outcome_note,
                                              return_reason]) AS t(note)
                    WHERE t.note <> p_marker);
    UPDATE mail_log SET error = p_marker
     WHERE question_id = ANY (p_ids) AND error IS NOT NULL AND error <> p_marker;
    PERFORM history_redact(x, p_marker) FROM unnest(p_ids) AS x;
    UPDATE question_event SET detail = detail || jsonb_build_object('error', p_marker)
     WHERE question_id = ANY (p_ids) AND kind = 'mail_failed' AND detail ? 'error'
       AND detail->>'error' <> p_marker;
    RETURN v_n;
END $$;
REVOKE EXECUTE ON FUNCTION person_erase(uuid[], text) FROM PUBLIC;

-- privacy_purge's text step: person_erase instead of 036's own statements
-- (rewritten from its text, as 033 did; fails if it is not as 036 wrote it).
DO $$
DECLARE
    v_def text := pg_get_functiondef('loket.privacy_purge(boolean, integer)'::regprocedure);
    v_first constant text := '-- the contact details go with the text';
    v_last constant text := 'PERFORM history_redact(x, v_marker) FROM unnest(v_ids) AS x;';
    i integer := position(v_first IN v_def);
    j integer := position(v_last IN v_def);
BEGIN
    IF i = 0 OR j < i THEN
        RAISE EXCEPTION '039: privacy_purge is not as 036 wrote it';
    END IF;
    EXECUTE overlay(v_def PLACING
                    '-- details still there go with the text (its change is new activity)'
                    || E'\n        v_more := person_erase(v_ids, v_marker);'
                    FROM i FOR j - i + length(v_last));
END $$;
