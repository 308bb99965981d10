-- 037_rights.sql: access and erasure on request, and consent that can be
-- withdrawn (issue 16, parts 4 and 5).
--
--   - privacy_export(email, phone, number): everything held about a person
--     in the privacy officer's region, as one JSON document: the contact
--     details, the questions with their text, the referrals and notes, the
--     information given, the mails sent and the reads of their details.  The
--     person is the client of that question, or every client with that
--     e-mail address or phone number.  Each question's export is logged in
--     personal_read as 'export'.
--   - privacy_erase(number, reason): anonymises that person now, in every
--     question of the region with the same e-mail address or phone number:
--     contact details, the free text of the questions, the referrals' notes,
--     mail errors (which may quote an address), and the same text in the
--     history; an event 'privacy_erased' with the reason records who did
--     it.  Codes and the history of who did what stay.
--   - client_withdraw_consent(question): an advisor of the client's
--     organisation, or the organisation it was referred to with consent,
--     records that the client withdrew consent: the contact details are
--     removed at once, client.consent_withdrawn_at is set (the screens say
--     "toestemming ingetrokken"), and no summary mail can be sent after it
--     (mail_summary refuses an anonymised client); event 'consent_withdrawn'.
SET LOCAL ROLE loket_owner;

ALTER TABLE question_event DROP CONSTRAINT question_event_kind_check;
ALTER TABLE question_event ADD CONSTRAINT question_event_kind_check CHECK (kind IN (
    'created', 'updated', 'client_saved', 'client_updated', 'info_given',
    'referral_created', 'referral_updated', 'signal_logged',
    'offering_given', 'mail_sent', 'mail_failed', 'privacy_erased', 'consent_withdrawn'));

ALTER TABLE client ADD COLUMN consent_withdrawn_at timestamptz;
GRANT SELECT (consent_withdrawn_at) ON client TO loket_advisor, loket_central;

-- Mail errors may quote an address: the owner may blank them (nothing else).
CREATE POLICY mail_log_owner ON mail_log FOR ALL TO loket_owner USING (true) WITH CHECK (true);
CREATE FUNCTION mail_log_guard() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND trusted_writer()
       AND (NEW.id, NEW.question_id, NEW.message_id, NEW.ok, NEW.sent_by, NEW.sent_at)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.question_id, OLD.message_id, OLD.ok, OLD.sent_by, OLD.sent_at) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the mail log cannot be changed' USING ERRCODE = '55000';
END $$;
REVOKE EXECUTE ON FUNCTION mail_log_guard() FROM PUBLIC;
DROP TRIGGER mail_log_append_only ON mail_log;
CREATE TRIGGER mail_log_append_only BEFORE UPDATE OR DELETE ON mail_log
    FOR EACH ROW EXECUTE FUNCTION mail_log_guard();

-- The owner reads what an export holds (row-level security is forced).
CREATE POLICY info_given_owner_read ON info_given FOR SELECT TO loket_owner USING (true);

-- The questions of the privacy officer's region that hold the person: the
-- client of question p_number, or with e-mail p_email or phone p_phone, and
-- every other question whose client has the same e-mail address or phone.
CREATE FUNCTION privacy_person(p_region text, p_email text, p_phone text, p_number integer)
    RETURNS uuid[]
    LANGUAGE sql STABLE
    SET search_path = loket, pg_catalog, pg_temp AS $$
    WITH seed AS (
        SELECT c.email, c.phone, c.question_id
          FROM client c JOIN question q ON q.id = c.question_id
         WHERE q.region = p_region
           AND (q.number = p_number OR lower(c.email) = lower(p_email)
                OR c.phone = regexp_replace(p_phone, '[ -]', '', 'g'))
        UNION
        SELECT NULL, NULL, q.id FROM question q
         WHERE q.region = p_region AND q.number = p_number
    )
    SELECT coalesce(array_agg(DISTINCT x.id), '{}')
      FROM (SELECT s.question_id AS id FROM seed s
            UNION
            SELECT c.question_id FROM client c JOIN question q ON q.id = c.question_id
              JOIN seed s ON lower(c.email) = lower(s.email) OR c.phone = s.phone
             WHERE q.region = p_region) x
$$;
REVOKE EXECUTE ON FUNCTION privacy_person(text, text, text, integer) FROM PUBLIC;

CREATE FUNCTION privacy_export(p_email text, p_phone text, p_number integer)
    RETURNS jsonb
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    v_region text := privacy_region();
    v_ids uuid[];
    v_doc jsonb;
BEGIN
    IF num_nonnulls(p_email, p_phone, p_number) <> 1 THEN
        RAISE EXCEPTION 'privacy export: give one of e-mail, phone or question'
            USING ERRCODE = '22023';
    END IF;
    v_ids := privacy_person(v_region, p_email, p_phone, p_number);
    -- the reads first: this export is one of them
    INSERT INTO personal_read (role_name, login, region, organisation, question_id, context)
    SELECT invoker_role(), session_user, v_region, NULL, x, 'export' FROM unnest(v_ids) AS x;
    SELECT jsonb_build_object(
        'exported_at', now(), 'region', v_region,
        'asked_for', jsonb_strip_nulls(jsonb_build_object('email', p_email, 'phone', p_phone,
                                                          'question', p_number)),
        'contact', coalesce((SELECT jsonb_agg(DISTINCT jsonb_strip_nulls(jsonb_build_object(
                       'kind', c.kind, 'name', c.name, 'email', c.email, 'phone', c.phone,
                       'company_name', c.company_name, 'kvk_number', c.kvk_number,
                       'sector', c.sector, 'company_size', c.company_size,
                       'consent_at', c.consent_at, 'consent_withdrawn_at',
                       c.consent_withdrawn_at, 'anonymised_at', c.anonymised_at)))
                     FROM client c WHERE c.question_id = ANY (v_ids)), '[]'),
        'questions', coalesce((SELECT jsonb_agg(jsonb_build_object(
            'number', q.number, 'registered', q.created_at, 'organisation', q.organisation,
            'advisor', q.advisor, 'channel', q.channel, 'client_group', q.client_group,
            'topic', q.topic, 'postcode4', q.postcode4, 'text', q.text, 'extra', q.extra,
            'status', q.status,
            'information', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                                'title', v.title, 'given_at', g.given_at, 'given_by', g.given_by)
                                ORDER BY g.given_at), '[]')
                              FROM info_given g JOIN knowledge_version v
                                ON v.id = g.knowledge_version_id WHERE g.question_id = q.id),
            'referrals', (SELECT coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
                              'to', r.to_org, 'from', r.from_org, 'reason', r.reason,
                              'status', r.status, 'created_at', r.created_at,
                              'consent_contact', r.consent_contact, 'note', r.note,
                              'target_note', r.target_note, 'outcome', r.outcome,
                              'outcome_note', r.outcome_note,
                              'return_reason', r.return_reason)) ORDER BY r.created_at), '[]')
                            FROM referral r WHERE r.question_id = q.id),
            'mails', (SELECT coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
                          'sent_at', m.sent_at, 'sent_by', m.sent_by, 'ok', m.ok,
                          'error', m.error)) ORDER BY m.id), '[]')
                        FROM mail_log m WHERE m.question_id = q.id),
            'reads', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                          'at', l.at, 'role', l.role_name, 'organisation', l.organisation,
                          'where', l.context) ORDER BY l.id), '[]')
                        FROM personal_read l WHERE l.question_id = q.id))
            ORDER BY q.number)
            FROM question q WHERE q.id = ANY (v_ids)), '[]'))
      INTO v_doc;
    RETURN v_doc;
END $$;
REVOKE EXECUTE ON FUNCTION privacy_export(text, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION privacy_export(text, text, integer) TO loket_privacy;

-- Remove the person's data from questions p_ids, now: the details, the
-- free text, the notes, mail errors, and all of it from the history.
CREATE FUNCTION person_erase(p_ids uuid[], p_marker text) RETURNS void
    LANGUAGE plpgsql
    SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    UPDATE client SET name = NULL, email = NULL, phone = NULL, company_name = NULL,
                      kvk_number = NULL, anonymised_at = coalesce(anonymised_at, now())
     WHERE question_id = ANY (p_ids)
       AND num_nonnulls(name, email, phone, company_name, kvk_number, anonymised_at) > 0;
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
END $$;
REVOKE EXECUTE ON FUNCTION person_erase(uuid[], text) FROM PUBLIC;

CREATE FUNCTION privacy_erase(p_number integer, p_reason text) RETURNS integer
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    v_region text := privacy_region();
    v_ids uuid[];
BEGIN
    IF p_number IS NULL THEN
        RAISE EXCEPTION 'privacy erase: give a question' USING ERRCODE = '22023';
    END IF;
    IF p_reason IS NOT NULL AND (char_length(p_reason) > 500 OR NOT has_text(p_reason)) THEN
        RAISE EXCEPTION 'privacy erase: a reason of at most 500 characters'
            USING ERRCODE = '22023';
    END IF;
    v_ids := privacy_person(v_region, NULL, NULL, p_number);
    IF cardinality(v_ids) = 0 THEN
        RAISE EXCEPTION 'question % not found in the region', p_number USING ERRCODE = 'P0002';
    END IF;
    PERFORM person_erase(v_ids, '[verwijderd op verzoek]');
    INSERT INTO question_event (question_id, actor, kind, detail)
    SELECT x, invoker_role(), 'privacy_erased',
           jsonb_strip_nulls(jsonb_build_object('reason', p_reason))
      FROM unnest(v_ids) AS x;
    RETURN cardinality(v_ids);
END $$;
REVOKE EXECUTE ON FUNCTION privacy_erase(integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION privacy_erase(integer, text) TO loket_privacy;

-- The client withdrew consent: the details go at once; a question without
-- a client, or whose consent was withdrawn already, is refused.
CREATE FUNCTION client_withdraw_consent(p_question uuid) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    v_org text := question_search_org();
    c client;
BEGIN
    SELECT x.* INTO c FROM client x
     WHERE x.question_id = p_question AND v_org IS NOT NULL
       AND (x.organisation = v_org
            OR EXISTS (SELECT 1 FROM referral r
                        WHERE r.question_id = x.question_id AND r.to_org = v_org
                          AND r.consent_contact AND r.status <> 'withdrawn'))
       FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no client whose consent you recorded or were given'
            USING ERRCODE = 'P0002';
    END IF;
    IF c.consent_withdrawn_at IS NOT NULL THEN
        RAISE EXCEPTION 'the client withdrew consent already'
            USING ERRCODE = '23514', CONSTRAINT = 'consent_withdrawn_once';
    END IF;
    UPDATE client SET name = NULL, email = NULL, phone = NULL, company_name = NULL,
                      kvk_number = NULL, anonymised_at = coalesce(anonymised_at, now()),
                      consent_withdrawn_at = now()
     WHERE question_id = p_question;
    INSERT INTO question_event (question_id, actor, kind, detail)
    VALUES (p_question, invoker_role(), 'consent_withdrawn', '{}');
END $$;
REVOKE EXECUTE ON FUNCTION client_withdraw_consent(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION client_withdraw_consent(uuid) TO loket_advisor, loket_central;
