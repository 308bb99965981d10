-- 004_triggers: defaults that depend on who is asking, version bumps for
-- optimistic locking, immutability, and the append-only history.
-- Trigger functions run as the invoking role, so current_user is the advisor
-- and row-level security applies to everything they touch.  Each pins its
-- search_path with pg_temp last, so that a temporary table of the caller
-- (say, pg_temp.question_event) can never stand in for a real one.
SET LOCAL ROLE loket_owner;

CREATE FUNCTION not_an_advisor() RETURNS void
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION 'role "%" is not an active loket advisor', current_user
        USING ERRCODE = '42501';
END $$;

-- Hands out the next readable number of a region.  SECURITY DEFINER so that
-- advisors need no write access to the counter itself.
CREATE FUNCTION next_question_number(p_region text) RETURNS integer
    LANGUAGE sql SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp
    AS $$
    INSERT INTO region_counter AS c (region, last_number) VALUES (p_region, 1)
    ON CONFLICT (region) DO UPDATE SET last_number = c.last_number + 1
    RETURNING last_number
    $$;
REVOKE EXECUTE ON FUNCTION next_question_number(text) FROM PUBLIC;

CREATE FUNCTION question_before_insert() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    IF NEW.organisation IS NULL THEN
        NEW.organisation := my_org();
        IF NEW.organisation IS NULL THEN PERFORM not_an_advisor(); END IF;
    END IF;
    IF NEW.region IS NULL THEN
        SELECT region INTO NEW.region FROM organisation WHERE code = NEW.organisation;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'unknown organisation %', NEW.organisation
                USING ERRCODE = '23503', CONSTRAINT = 'question_organisation_fkey';
        END IF;
    END IF;
    NEW.advisor := coalesce(NEW.advisor, current_user);
    IF NEW.number IS NULL THEN
        NEW.number := next_question_number(NEW.region);
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER question_before_insert BEFORE INSERT ON question
    FOR EACH ROW EXECUTE FUNCTION question_before_insert();

-- Optimistic locking: every update bumps version; identity never changes.
CREATE FUNCTION bump_version() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    IF NEW IS NOT DISTINCT FROM OLD THEN
        RETURN NEW;
    END IF;
    NEW.version := OLD.version + 1;
    NEW.updated_at := now();
    RETURN NEW;
END $$;

CREATE FUNCTION question_before_update() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    IF (NEW.id, NEW.region, NEW.number, NEW.organisation, NEW.advisor, NEW.created_at)
       IS DISTINCT FROM
       (OLD.id, OLD.region, OLD.number, OLD.organisation, OLD.advisor, OLD.created_at) THEN
        RAISE EXCEPTION 'a question''s identity, organisation and advisor cannot change'
            USING ERRCODE = '23514';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER question_before_update BEFORE UPDATE ON question
    FOR EACH ROW EXECUTE FUNCTION question_before_update();
CREATE TRIGGER question_bump_version BEFORE UPDATE ON question
    FOR EACH ROW EXECUTE FUNCTION bump_version();

-- The columns that changed between two versions of a row, as
-- {"column": {"old": ..., "new": ...}}; bookkeeping columns are left out.
CREATE FUNCTION row_diff(old_row jsonb, new_row jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE SET search_path = loket, pg_catalog, pg_temp AS $$
    SELECT coalesce(jsonb_object_agg(n.key, jsonb_build_object('old', o.value, 'new', n.value)), '{}')
    FROM jsonb_each(new_row) n
    JOIN jsonb_each(old_row) o USING (key)
    WHERE o.value IS DISTINCT FROM n.value
      AND n.key NOT IN ('updated_at', 'version')
    $$;

-- History, set-based: one INSERT per statement, however many rows.
CREATE FUNCTION question_log_insert() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO question_event (question_id, at, actor, kind, detail)
    SELECT n.id, n.created_at, n.advisor, 'created',
           jsonb_build_object('number', n.number, 'organisation', n.organisation,
                              'channel', n.channel, 'client_group', n.client_group,
                              'topic', n.topic, 'status', n.status)
    FROM new_rows n;
    RETURN NULL;
END $$;
CREATE TRIGGER question_log_insert AFTER INSERT ON question
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION question_log_insert();

CREATE FUNCTION question_log_update() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO question_event (question_id, kind, detail)
    SELECT n.id, 'updated', d.diff
    FROM new_rows n
    JOIN old_rows o ON o.id = n.id
    CROSS JOIN LATERAL (SELECT row_diff(to_jsonb(o), to_jsonb(n)) AS diff) d
    WHERE d.diff <> '{}';
    RETURN NULL;
END $$;
CREATE TRIGGER question_log_update AFTER UPDATE ON question
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION question_log_update();

-- Client data: owned by the question's organisation; consent is dated and
-- signed by the advisor who recorded it.  The history names the fields that
-- changed, never their values, because supervisors read the history.
CREATE FUNCTION client_before_write() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT organisation INTO NEW.organisation FROM question WHERE id = NEW.question_id;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'question % does not exist or is not yours', NEW.question_id
                USING ERRCODE = '42501';
        END IF;
    ELSIF NEW.organisation IS DISTINCT FROM OLD.organisation
          OR NEW.question_id IS DISTINCT FROM OLD.question_id THEN
        RAISE EXCEPTION 'client data cannot move to another question' USING ERRCODE = '23514';
    END IF;
    IF NEW.consent_at IS NOT NULL
       AND (TG_OP = 'INSERT' OR NEW.consent_at IS DISTINCT FROM OLD.consent_at) THEN
        NEW.consent_by := current_user;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER client_before_write BEFORE INSERT OR UPDATE ON client
    FOR EACH ROW EXECUTE FUNCTION client_before_write();
CREATE TRIGGER client_bump_version BEFORE UPDATE ON client
    FOR EACH ROW EXECUTE FUNCTION bump_version();

CREATE FUNCTION client_log() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO question_event (question_id, kind, detail)
        SELECT n.question_id, 'client_saved',
               jsonb_build_object('kind', n.kind, 'consent', n.consent_at IS NOT NULL)
        FROM new_rows n;
    ELSE
        INSERT INTO question_event (question_id, kind, detail)
        SELECT n.question_id, 'client_updated',
               jsonb_build_object('fields', (SELECT jsonb_agg(k ORDER BY k)
                                             FROM jsonb_object_keys(d.diff) k))
        FROM new_rows n
        JOIN old_rows o ON o.question_id = n.question_id
        CROSS JOIN LATERAL (SELECT row_diff(to_jsonb(o), to_jsonb(n)) AS diff) d
        WHERE d.diff <> '{}';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER client_log_insert AFTER INSERT ON client
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION client_log();
CREATE TRIGGER client_log_update AFTER UPDATE ON client
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION client_log();

-- Knowledge versions are immutable and their codes must exist.
CREATE FUNCTION refuse_change() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = '55000';
END $$;
CREATE TRIGGER knowledge_version_immutable BEFORE UPDATE OR DELETE ON knowledge_version
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER question_event_append_only BEFORE UPDATE OR DELETE ON question_event
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER question_event_no_truncate BEFORE TRUNCATE ON question_event
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

CREATE FUNCTION knowledge_version_before_insert() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    bad text;
BEGIN
    SELECT string_agg(t, ', ') INTO bad
    FROM unnest(NEW.topics) t WHERE NOT EXISTS (SELECT 1 FROM topic WHERE code = t);
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'unknown topic code(s): %', bad USING ERRCODE = '23503';
    END IF;
    SELECT string_agg(g, ', ') INTO bad
    FROM unnest(NEW.audience) g WHERE NOT EXISTS (SELECT 1 FROM client_group WHERE code = g);
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'unknown client group code(s): %', bad USING ERRCODE = '23503';
    END IF;
    IF NEW.version_no IS NULL THEN
        SELECT coalesce(max(version_no), 0) + 1 INTO NEW.version_no
        FROM knowledge_version WHERE item_id = NEW.item_id;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER knowledge_version_before_insert BEFORE INSERT ON knowledge_version
    FOR EACH ROW EXECUTE FUNCTION knowledge_version_before_insert();

-- Information given moves an open question to 'informed'.
CREATE FUNCTION info_given_after_insert() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO question_event (question_id, at, actor, kind, detail)
    SELECT n.question_id, n.given_at, n.given_by, 'info_given',
           jsonb_build_object('knowledge_version_id', n.knowledge_version_id,
                              'item_id', v.item_id, 'version_no', v.version_no,
                              'title', v.title)
    FROM new_rows n JOIN knowledge_version v ON v.id = n.knowledge_version_id;
    UPDATE question q SET status = 'informed'
    WHERE q.status = 'open' AND q.id IN (SELECT question_id FROM new_rows);
    RETURN NULL;
END $$;
CREATE TRIGGER info_given_after_insert AFTER INSERT ON info_given
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION info_given_after_insert();

-- A referral takes region and sender from its question and goes to the
-- region's central point unless another target is named.
CREATE FUNCTION referral_before_insert() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    SELECT region, organisation INTO NEW.region, NEW.from_org
    FROM question WHERE id = NEW.question_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'question % does not exist or is not yours', NEW.question_id
            USING ERRCODE = '42501';
    END IF;
    IF NEW.to_org IS NULL THEN
        SELECT code INTO NEW.to_org FROM organisation
        WHERE region = NEW.region AND kind = 'central' AND active;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'region % has no active central organisation', NEW.region
                USING ERRCODE = '23502';
        END IF;
    END IF;
    NEW.created_by := coalesce(NEW.created_by, current_user);
    RETURN NEW;
END $$;
CREATE TRIGGER referral_before_insert BEFORE INSERT ON referral
    FOR EACH ROW EXECUTE FUNCTION referral_before_insert();
-- What the sender wrote (urgency, note, and above all the client's consent
-- to pass contact details) only the sender may change: the target could
-- otherwise grant itself the client's contact details.
CREATE FUNCTION referral_before_update() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    me text := my_org();
BEGIN
    IF (NEW.id, NEW.question_id, NEW.region, NEW.from_org, NEW.to_org, NEW.reason,
        NEW.created_by, NEW.created_at)
       IS DISTINCT FROM
       (OLD.id, OLD.question_id, OLD.region, OLD.from_org, OLD.to_org, OLD.reason,
        OLD.created_by, OLD.created_at) THEN
        RAISE EXCEPTION 'a referral''s question, organisations and reason cannot change'
            USING ERRCODE = '23514';
    END IF;
    IF me IS DISTINCT FROM OLD.from_org AND me IS NOT NULL
       AND (NEW.urgency, NEW.note, NEW.consent_contact)
           IS DISTINCT FROM (OLD.urgency, OLD.note, OLD.consent_contact) THEN
        RAISE EXCEPTION 'only the referring organisation can change urgency, note or consent'
            USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER referral_before_update BEFORE UPDATE ON referral
    FOR EACH ROW EXECUTE FUNCTION referral_before_update();
CREATE TRIGGER referral_bump_version BEFORE UPDATE ON referral
    FOR EACH ROW EXECUTE FUNCTION bump_version();

CREATE FUNCTION referral_log() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO question_event (question_id, at, actor, kind, detail)
        SELECT n.question_id, n.created_at, n.created_by, 'referral_created',
               jsonb_build_object('referral_id', n.id, 'to_org', n.to_org,
                                  'reason', n.reason, 'consent_contact', n.consent_contact)
        FROM new_rows n;
        UPDATE question q SET status = 'referred'
        WHERE q.status IN ('open', 'informed') AND q.id IN (SELECT question_id FROM new_rows);
    ELSE
        INSERT INTO question_event (question_id, kind, detail)
        SELECT n.question_id, 'referral_updated',
               jsonb_build_object('referral_id', n.id) || d.diff
        FROM new_rows n
        JOIN old_rows o ON o.id = n.id
        CROSS JOIN LATERAL (SELECT row_diff(to_jsonb(o), to_jsonb(n)) AS diff) d
        WHERE d.diff <> '{}';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER referral_log_insert AFTER INSERT ON referral
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION referral_log();
CREATE TRIGGER referral_log_update AFTER UPDATE ON referral
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION referral_log();

CREATE FUNCTION signal_before_insert() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    IF NEW.organisation IS NULL THEN
        NEW.organisation := my_org();
        IF NEW.organisation IS NULL THEN PERFORM not_an_advisor(); END IF;
    END IF;
    SELECT region INTO NEW.region FROM organisation WHERE code = NEW.organisation;
    RETURN NEW;
END $$;
CREATE TRIGGER signal_before_insert BEFORE INSERT ON signal
    FOR EACH ROW EXECUTE FUNCTION signal_before_insert();
