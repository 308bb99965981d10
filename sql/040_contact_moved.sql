-- 040_contact_moved.sql: contact details moved out of a question's text
-- (issue 16, part 6), and what the shift with the privacy parts found.
--
--   - question_contact_moved(question, found[]): the intake form moved an
--     e-mail address or phone number out of the text of a question it
--     changed (Ctrl-O); the earlier versions of the text in the history
--     still hold it.  This replaces each string found there by
--     '[contactgegevens]' and records event 'contact_moved' (without the
--     strings; none when no version held them).  Only the question's own organisation, only strings shaped
--     like an e-mail address or a phone number, and only those no longer in
--     the question's text: it cannot be used to rewrite history otherwise.
--   - person_erase (039) also removes the values of question.extra (the
--     fields an organisation adds through forms/ may name people), keeping
--     which fields there were.  The retention purge and the erasure on
--     request both go through it.
--   - A withdrawal of consent is one event in the history (consent_withdrawn),
--     no longer also a client_updated of the same change; consent given again
--     later is a client_updated.
SET LOCAL ROLE loket_owner;

ALTER TABLE question_event DROP CONSTRAINT question_event_kind_check;
ALTER TABLE question_event ADD CONSTRAINT question_event_kind_check CHECK (kind IN (
    'created', 'updated', 'client_saved', 'client_updated', 'info_given',
    'referral_created', 'referral_updated', 'signal_logged',
    'offering_given', 'mail_sent', 'mail_failed', 'privacy_erased', 'consent_withdrawn',
    'contact_moved'));

-- Whether s is shaped like one e-mail address or one phone number (8 to 15
-- digits, with the separators people type).
CREATE FUNCTION is_contact_string(s text) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    SET search_path = loket, pg_catalog, pg_temp AS $$
    SELECT char_length(s) BETWEEN 6 AND 254
       AND (s ~ '^[[:alnum:]._%+-]+@[[:alnum:]-]+(\.[[:alnum:]-]+)*\.[[:alpha:]]{2,}$'
            OR (s ~ '^[+(]?[0-9][0-9 ().-]*[0-9]$'
                AND char_length(regexp_replace(s, '[^0-9]', '', 'g')) BETWEEN 8 AND 15))
$$;

CREATE FUNCTION question_contact_moved(p_question uuid, p_found text[]) RETURNS integer
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    v_org text := question_search_org();
    v_text text;
    v_marker constant text := '[contactgegevens]';
    f text;
    v_n integer := 0;
    v_rows integer;
BEGIN
    SELECT q.text INTO v_text FROM question q
     WHERE q.id = p_question AND v_org IS NOT NULL AND q.organisation = v_org
       FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no question of your organisation' USING ERRCODE = 'P0002';
    END IF;
    IF cardinality(p_found) IS NULL OR cardinality(p_found) > 10
       OR EXISTS (SELECT 1 FROM unnest(p_found) AS x(s)
                   WHERE s IS NULL OR NOT is_contact_string(s) OR strpos(v_text, s) > 0) THEN
        RAISE EXCEPTION 'only an e-mail address or phone number no longer in the text'
            USING ERRCODE = '22023';
    END IF;
    FOREACH f IN ARRAY p_found LOOP
        UPDATE question_event e
           SET detail = jsonb_set(e.detail, '{text}', (
                   SELECT jsonb_object_agg(j.k, CASE WHEN jsonb_typeof(j.v) = 'string'
                                                     THEN to_jsonb(replace(j.v #>> '{}', f,
                                                                           v_marker))
                                                     ELSE j.v END)
                     FROM jsonb_each(e.detail->'text') AS j(k, v)))
         WHERE e.question_id = p_question AND e.kind = 'updated'
           AND jsonb_typeof(e.detail->'text') = 'object'
           AND (strpos(e.detail->'text'->>'old', f) > 0
                OR strpos(e.detail->'text'->>'new', f) > 0);
        GET DIAGNOSTICS v_rows = ROW_COUNT;
        v_n := v_n + v_rows;
    END LOOP;
    IF v_n = 0 THEN  -- no earlier version held them: no line in the history
        RETURN 0;
    END IF;
    INSERT INTO question_event (question_id, actor, kind, detail)
    VALUES (p_question, invoker_role(), 'contact_moved',
            jsonb_build_object('events', v_n));
    RETURN v_n;
END $$;
REVOKE EXECUTE ON FUNCTION question_contact_moved(uuid, text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION question_contact_moved(uuid, text[]) TO loket_advisor, loket_central;

-- 039's person_erase, and the values of question.extra.
CREATE OR REPLACE FUNCTION person_erase(p_ids uuid[], p_marker text) RETURNS integer
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
    UPDATE question
       SET text = p_marker,
           extra = (SELECT coalesce(jsonb_object_agg(k, p_marker), '{}')
                      FROM jsonb_object_keys(extra) AS k)
     WHERE id = ANY (p_ids)
       AND (text <> p_marker
            OR EXISTS (SELECT 1 FROM jsonb_each(extra) AS x(k, v) WHERE v <> to_jsonb(p_marker)));
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

-- The withdrawal's own event says what changed.
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
