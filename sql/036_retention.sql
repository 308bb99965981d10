-- 036_retention.sql: retention that runs (issue 16, part 3).
--
-- Per region (region.contact_months, default 12; region.text_months,
-- default 24), counted from a question's last activity (its own last
-- change, or its referrals' last change, whichever is later; the purge's
-- own changes count too, so set contact_months below text_months):
--   - after contact_months the client's contact details are anonymised:
--     name, e-mail, phone, company and KvK number removed, anonymised_at set;
--   - after text_months the free text is replaced by
--     '[verwijderd na bewaartermijn]': the question's text and the notes of
--     its referrals; the old text is also taken out of the question's
--     history (question_event keeps who changed what, and when, without it);
--   - the log of reads of contact details (035) is deleted after
--     personal_read_months (default 60).
-- Codes, statuses, dates and record keys stay, so the supervisors' figures
-- do not change.  privacy_purge(dry_run, batch) does one batch of at most
-- `batch` questions of each kind for the privacy officer's region and says
-- how many it changed; `loket privacy purge` calls it until nothing is left,
-- each batch its own transaction, so it is restartable and a second run
-- changes nothing.  The client's change is in the history as
-- client_updated (the fields, not the values: 025's client_log).
SET LOCAL ROLE loket_owner;

ALTER TABLE region
    ADD COLUMN contact_months integer NOT NULL DEFAULT 12
        CHECK (contact_months BETWEEN 1 AND 120),
    ADD COLUMN text_months integer NOT NULL DEFAULT 24
        CHECK (text_months BETWEEN 1 AND 240);
COMMENT ON COLUMN region.contact_months IS
    'loket: months after a question''s last activity its client''s contact details are anonymised';
COMMENT ON COLUMN region.text_months IS
    'loket: months after a question''s last activity its free text is removed';

-- The owner's purge writes these rows (row-level security is forced).
CREATE POLICY client_owner_purge ON client FOR UPDATE TO loket_owner USING (true);
CREATE POLICY question_owner_purge ON question FOR UPDATE TO loket_owner USING (true);
CREATE POLICY referral_owner_purge ON referral FOR UPDATE TO loket_owner USING (true);
CREATE POLICY question_event_owner_read ON question_event FOR SELECT TO loket_owner
    USING (true);
CREATE POLICY question_event_owner_redact ON question_event FOR UPDATE TO loket_owner
    USING (true);
CREATE POLICY personal_read_owner_purge ON personal_read FOR DELETE TO loket_owner
    USING (true);

-- The history stays append-only for everyone; only the owner may take text
-- out of an event's detail (nothing else of it changes), and nobody deletes.
CREATE FUNCTION question_event_guard() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND trusted_writer()
       AND (NEW.id, NEW.question_id, NEW.at, NEW.actor, NEW.kind)
           IS NOT DISTINCT FROM (OLD.id, OLD.question_id, OLD.at, OLD.actor, OLD.kind) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the history of a question cannot be changed' USING ERRCODE = '55000';
END $$;
REVOKE EXECUTE ON FUNCTION question_event_guard() FROM PUBLIC;
DROP TRIGGER question_event_append_only ON question_event;
CREATE TRIGGER question_event_append_only BEFORE UPDATE OR DELETE ON question_event
    FOR EACH ROW EXECUTE FUNCTION question_event_guard();

-- Take free text out of a question's history: the old and new values of
-- the question's text and extra fields, and of its referrals' notes.
CREATE FUNCTION history_redact(p_question uuid, p_marker text) RETURNS void
    LANGUAGE sql
    SET search_path = loket, pg_catalog, pg_temp AS $$
    UPDATE question_event e
       SET detail = (SELECT jsonb_object_agg(j.k, CASE
                         WHEN j.k = ANY (ARRAY['text', 'extra', 'note', 'target_note',
                                               'outcome_note', 'return_reason'])
                              AND jsonb_typeof(j.v) = 'object'
                         THEN jsonb_build_object(
                             'old', CASE WHEN j.v->'old' = 'null' THEN j.v->'old'
                                         ELSE to_jsonb(p_marker) END,
                             'new', CASE WHEN j.v->'new' = 'null' THEN j.v->'new'
                                         ELSE to_jsonb(p_marker) END)
                         ELSE j.v END)
                     FROM jsonb_each(e.detail) AS j(k, v))
     WHERE e.question_id = p_question AND e.kind IN ('updated', 'referral_updated')
       AND e.detail ?| ARRAY['text', 'extra', 'note', 'target_note', 'outcome_note',
                             'return_reason']
$$;
REVOKE EXECUTE ON FUNCTION history_redact(uuid, text) FROM PUBLIC;

-- One batch of the privacy officer's region; with p_dry_run only how many
-- are due, of each kind, changing nothing.
CREATE FUNCTION privacy_purge(p_dry_run boolean, p_batch integer)
    RETURNS TABLE (kind text, n integer)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    v_region text := privacy_region();
    r region;
    v_marker constant text := '[verwijderd na bewaartermijn]';
    v_ids uuid[];
    v_n integer;
    v_more integer := 0;
BEGIN
    IF p_batch IS NULL OR p_batch < 1 OR p_batch > 10000 THEN
        RAISE EXCEPTION 'privacy purge: a batch of 1 to 10000' USING ERRCODE = '22023';
    END IF;
    SELECT * INTO r FROM region WHERE code = v_region;

    -- contact details
    SELECT array_agg(c.question_id) INTO v_ids
      FROM (SELECT c.question_id FROM client c JOIN question q ON q.id = c.question_id
             WHERE q.region = v_region AND c.anonymised_at IS NULL
               AND q.updated_at < now() - make_interval(months => r.contact_months)
               AND NOT EXISTS (SELECT 1 FROM referral f
                                WHERE f.question_id = q.id
                                  AND f.updated_at >= now()
                                      - make_interval(months => r.contact_months))
             ORDER BY q.created_at
             LIMIT CASE WHEN p_dry_run THEN NULL ELSE p_batch END) c;
    IF NOT p_dry_run AND v_ids IS NOT NULL THEN
        UPDATE client SET name = NULL, email = NULL, phone = NULL, company_name = NULL,
                          kvk_number = NULL, anonymised_at = now()
         WHERE question_id = ANY (v_ids) AND anonymised_at IS NULL;
    END IF;
    v_n := coalesce(cardinality(v_ids), 0);

    -- free text
    SELECT array_agg(x.id) INTO v_ids
      FROM (SELECT q.id FROM question q
             WHERE q.region = v_region
               AND (q.text <> v_marker
                    OR EXISTS (SELECT 1 FROM referral f,
                                      unnest(ARRAY[f.note, f.target_note, f.outcome_note,
                                                   f.return_reason]) AS t(note)
                                WHERE f.question_id = q.id AND t.note <> v_marker))
               AND q.updated_at < now() - make_interval(months => r.text_months)
               AND NOT EXISTS (SELECT 1 FROM referral f
                                WHERE f.question_id = q.id
                                  AND f.updated_at >= now()
                                      - make_interval(months => r.text_months))
             ORDER BY q.created_at
             LIMIT CASE WHEN p_dry_run THEN NULL ELSE p_batch END) x;
    IF NOT p_dry_run AND v_ids IS NOT NULL THEN
        -- the contact details go with the text, if they are still there (the
        -- text's change is new activity: they would not be due any more)
        UPDATE client SET name = NULL, email = NULL, phone = NULL, company_name = NULL,
                          kvk_number = NULL, anonymised_at = now()
         WHERE question_id = ANY (v_ids) AND anonymised_at IS NULL;
        GET DIAGNOSTICS v_more = ROW_COUNT;
        UPDATE question SET text = v_marker WHERE id = ANY (v_ids) AND text <> v_marker;
        UPDATE referral
           SET note = CASE WHEN note IS NOT NULL THEN v_marker END,
               target_note = CASE WHEN target_note IS NOT NULL THEN v_marker END,
               outcome_note = CASE WHEN outcome_note IS NOT NULL THEN v_marker END,
               return_reason = CASE WHEN return_reason IS NOT NULL THEN v_marker END
         WHERE question_id = ANY (v_ids)
           AND EXISTS (SELECT 1 FROM unnest(ARRAY[note, target_note, outcome_note,
                                                  return_reason]) AS t(note)
                        WHERE t.note <> v_marker);
        PERFORM history_redact(x, v_marker) FROM unnest(v_ids) AS x;
    END IF;
    kind := 'contact';
    n := v_n + v_more;
    RETURN NEXT;
    kind := 'text';
    n := coalesce(cardinality(v_ids), 0);
    RETURN NEXT;

    -- the log of reads, after its own period
    IF p_dry_run THEN
        SELECT count(*) INTO v_n FROM personal_read l
         WHERE l.region = v_region
           AND l.at < now() - make_interval(months => r.personal_read_months);
    ELSE
        WITH old AS (SELECT l.id FROM personal_read l
                      WHERE l.region = v_region
                        AND l.at < now() - make_interval(months => r.personal_read_months)
                      ORDER BY l.id LIMIT p_batch)
        DELETE FROM personal_read l USING old WHERE l.id = old.id;
        GET DIAGNOSTICS v_n = ROW_COUNT;
    END IF;
    kind := 'reads';
    n := v_n;
    RETURN NEXT;
END $$;
REVOKE EXECUTE ON FUNCTION privacy_purge(boolean, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION privacy_purge(boolean, integer) TO loket_privacy;
