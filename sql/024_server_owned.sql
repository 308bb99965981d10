-- 024_server_owned: every column the server owns is set by the server,
-- whatever the caller sends (issue 13, section 1).
--
-- Before this, an advisor with psql could give a question's number (after
-- which every `case add` of the region failed on question_region_number_key,
-- because the counter's increment rolled back with each failed insert), its
-- region, its status and its time (a question backdated to 2025 as closed
-- changes the supervisors' figures for past periods), the time information
-- or an offering was given, an e-mail was sent or a signal logged, a
-- referral's version and update time, an identity id (OVERRIDING SYSTEM
-- VALUE), and could call next_question_number() for any region.
--
-- Two means, chosen per column (doc/schema.md lists the owned columns of
-- every table):
--
--   * Column-level INSERT grants, for columns loket never sends: login
--     roles may name only the columns a person fills in; naming another
--     (number, region, status, created_at, given_at, an identity id, ...)
--     is refused with 42501 before anything happens.  A refusal is clearer
--     than a value silently replaced, and costs nothing per row.  Table
--     INSERT is revoked first (that also drops column grants).
--   * BEFORE triggers that overwrite, for owned columns that the caller
--     legitimately writes to say that something happened, where only the
--     moment or the count is the server's: consent_at and anonymised_at,
--     retired_at, seen_at, a saved query's updated_at, the catalogue's
--     sync_no, first_seen, updated_at, withdrawn_at, synced_at, checked_at
--     and items, the history's `at`; and a question's status, which moves
--     only along its lifecycle, when the facts (information or an offering
--     given, a referral) are there.
--
-- Who may still write them: the table owner loket_owner (migrations,
-- definer functions) and superusers (`loket db seed --cases` writes two
-- years of demo history with its own times and numbers): trusted_writer().
-- It asks current_user's role attributes, never a setting a user can SET;
-- a login role cannot become loket_owner (nobody is a member) nor a
-- superuser, and SET ROLE to one of the group roles it belongs to makes it
-- less, not more.
SET LOCAL ROLE loket_owner;

-- True for the owner and superusers: they may give server-owned columns.
CREATE FUNCTION trusted_writer() RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path = loket, pg_catalog, pg_temp AS $$
    SELECT current_user = 'loket_owner'
        OR coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r
                      WHERE r.rolname = current_user), false)
$$;

------------------------------------------------------------------------------
-- Column-level INSERT grants.

REVOKE INSERT ON question, client, referral, info_given, signal, question_event,
                 offering_given, mail_log
    FROM loket_advisor, loket_central;
GRANT INSERT (id, channel, client_group, topic, text, postcode4, extra)
    ON question TO loket_advisor, loket_central;
GRANT INSERT (question_id, kind, name, email, phone, company_name, kvk_number, sector,
              company_size, consent_at)
    ON client TO loket_advisor, loket_central;
GRANT INSERT (id, question_id, to_org, reason, urgency, note, consent_contact)
    ON referral TO loket_advisor, loket_central;
GRANT INSERT (question_id, knowledge_version_id) ON info_given TO loket_advisor, loket_central;
GRANT INSERT (id, question_id, kind, topic, sector, municipality, text)
    ON signal TO loket_advisor, loket_central;
-- the history triggers run as the advisor and name these; `at` is
-- overwritten below, and the id comes from its identity
GRANT INSERT (question_id, at, actor, kind, detail)
    ON question_event TO loket_advisor, loket_central;
GRANT INSERT (question_id, offering_id) ON offering_given TO loket_advisor, loket_central;
GRANT INSERT (question_id, message_id, ok, error) ON mail_log TO loket_advisor, loket_central;

REVOKE INSERT, UPDATE ON referral_seen FROM loket_advisor, loket_central;
GRANT INSERT (referral_id, role_name, version), UPDATE (version, seen_at)
    ON referral_seen TO loket_advisor, loket_central;

REVOKE INSERT ON saved_query FROM loket_supervisor, loket_advisor, loket_central;
GRANT INSERT (region, name, expr, shared) ON saved_query
    TO loket_supervisor, loket_advisor, loket_central;

REVOKE INSERT ON knowledge_item, knowledge_version FROM loket_editor;
GRANT INSERT (region, slug) ON knowledge_item TO loket_editor;
GRANT INSERT (item_id, title, tell_client, body, audience, topics, link, valid_from, review_by)
    ON knowledge_version TO loket_editor;

REVOKE INSERT, UPDATE ON offering, offering_source FROM loket_editor, loket_admin;
GRANT INSERT (region, offering_id, code_type, code, offering_type, name, description,
              teaching_language, modes, start_date, end_date, enroll_start, enroll_end, price,
              currency, municipality, city, link, organization, source, sync_no),
      UPDATE (code_type, code, offering_type, name, description, teaching_language, modes,
              start_date, end_date, enroll_start, enroll_end, price, currency, municipality,
              city, link, organization, source, sync_no, updated_at, withdrawn_at)
    ON offering TO loket_editor, loket_admin;
GRANT INSERT (region, url, etag, last_modified),
      UPDATE (url, etag, last_modified, sync_no, synced_at, checked_at, items)
    ON offering_source TO loket_editor, loket_admin;

REVOKE INSERT, UPDATE ON advisor FROM loket_admin;
GRANT INSERT (role_name, display_name, region, organisation, roles, active),
      UPDATE (display_name, region, organisation, roles, active)
    ON advisor TO loket_admin;

------------------------------------------------------------------------------
-- Question numbers: only through an insert, only in one's own region.

-- Advisors no longer call the counter: each call took a number for any
-- region they named.
REVOKE EXECUTE ON FUNCTION next_question_number(text) FROM loket_advisor, loket_central;

-- The session's columns of a new question.  For login roles every owned
-- column is set here, whatever was sent (the grants refuse them already;
-- this holds should a grant ever be widened).
CREATE OR REPLACE FUNCTION question_before_insert() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    IF NOT trusted_writer() THEN
        NEW.organisation := my_org();
        IF NEW.organisation IS NULL THEN PERFORM not_an_advisor(); END IF;
        NEW.region := NULL;
        NEW.advisor := current_user;
        NEW.number := NULL;
        NEW.status := 'open';
        NEW.created_at := now();
        NEW.updated_at := now();
        NEW.version := 1;
    END IF;
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
    RETURN NEW;
END $$;

-- The number, from the region's counter, after question_before_insert (the
-- triggers fire in name order).  SECURITY DEFINER so that advisors need no
-- right on the counter; a trigger function cannot be called on its own, and
-- EXECUTE is revoked so nobody can attach it to a table of their own.  A
-- retried submit (ON CONFLICT (id) DO NOTHING) takes no number: it carries
-- the existing row's, and the row is then skipped.
CREATE FUNCTION question_number() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    IF NEW.number IS NULL THEN
        SELECT q.number INTO NEW.number FROM question q WHERE q.id = NEW.id;
    END IF;
    IF NEW.number IS NULL THEN
        NEW.number := next_question_number(NEW.region);
    END IF;
    RETURN NEW;
END $$;
REVOKE EXECUTE ON FUNCTION question_number() FROM PUBLIC;
CREATE TRIGGER question_number BEFORE INSERT ON question
    FOR EACH ROW EXECUTE FUNCTION question_number();

-- A question's status follows its lifecycle: open, informed when
-- information or an offering was given, referred when it was referred.
-- Login roles keep their UPDATE on status (the triggers of info_given,
-- offering_given and referral move it as the advisor), but only a move the
-- facts bear out is accepted.  Closing is not a move loket makes.
CREATE FUNCTION question_status_follows() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    IF NEW.status IS NOT DISTINCT FROM OLD.status OR trusted_writer() THEN
        RETURN NEW;
    END IF;
    IF NEW.status = 'informed' AND OLD.status = 'open'
       AND (EXISTS (SELECT 1 FROM info_given i WHERE i.question_id = NEW.id)
            OR EXISTS (SELECT 1 FROM offering_given g WHERE g.question_id = NEW.id)) THEN
        RETURN NEW;
    END IF;
    IF NEW.status = 'referred' AND OLD.status IN ('open', 'informed')
       AND EXISTS (SELECT 1 FROM referral r WHERE r.question_id = NEW.id) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'a question''s status follows what was done on it: % cannot become %',
                    OLD.status, NEW.status
        USING ERRCODE = '23514', CONSTRAINT = 'question_status_lifecycle';
END $$;
CREATE TRIGGER question_status_follows BEFORE UPDATE OF status ON question
    FOR EACH ROW EXECUTE FUNCTION question_status_follows();

------------------------------------------------------------------------------
-- Owned columns that callers write to say that something happened.

-- Consent is dated and signed by the server: giving it (or giving it anew)
-- records now() and the role; without consent there is no signer.  An
-- anonymisation is dated once and never undone.
CREATE FUNCTION client_owned() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
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
    ELSIF OLD.anonymised_at IS NOT NULL THEN
        NEW.anonymised_at := OLD.anonymised_at;
    ELSIF NEW.anonymised_at IS NOT NULL THEN
        NEW.anonymised_at := now();
    END IF;
    RETURN NEW;
END $$;
-- after client_before_write and client_bump_version (name order)
CREATE TRIGGER client_owned BEFORE INSERT OR UPDATE ON client
    FOR EACH ROW EXECUTE FUNCTION client_owned();

-- Retiring dates the item now, once; bringing it back clears the date.
CREATE FUNCTION knowledge_item_owned() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    IF trusted_writer() THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        NEW.created_at := now();
        NEW.retired_at := NULL;
    ELSIF NEW.retired_at IS NOT NULL THEN
        NEW.retired_at := coalesce(OLD.retired_at, now());
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER knowledge_item_owned BEFORE INSERT OR UPDATE ON knowledge_item
    FOR EACH ROW EXECUTE FUNCTION knowledge_item_owned();

CREATE FUNCTION saved_query_owned() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    IF NOT trusted_writer() THEN
        NEW.owner := current_user;
        NEW.updated_at := now();
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER saved_query_owned BEFORE INSERT OR UPDATE ON saved_query
    FOR EACH ROW EXECUTE FUNCTION saved_query_owned();

-- What one saw, and when: never a version the referral has not reached.
CREATE FUNCTION referral_seen_owned() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    IF NOT trusted_writer() THEN
        NEW.role_name := current_user;
        NEW.seen_at := now();
        NEW.version := least(NEW.version, (SELECT r.version FROM referral r
                                            WHERE r.id = NEW.referral_id));
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER referral_seen_owned BEFORE INSERT OR UPDATE ON referral_seen
    FOR EACH ROW EXECUTE FUNCTION referral_seen_owned();

-- History is dated by the server.  (Who may write it at all is 025's.)
CREATE FUNCTION question_event_owned() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    IF NOT trusted_writer() THEN
        NEW.at := now();
        NEW.actor := current_user;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER question_event_owned BEFORE INSERT ON question_event
    FOR EACH ROW EXECUTE FUNCTION question_event_owned();

-- The catalogue: the sync functions run as the editor and write these, so
-- the server decides them here.  An offering belongs to the region's
-- current sync or keeps its own; it is first seen, changed and withdrawn
-- now, and its update time moves only when it changed or was withdrawn or
-- brought back.
CREATE FUNCTION offering_owned() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    cur bigint;
BEGIN
    IF trusted_writer() THEN
        RETURN NEW;
    END IF;
    SELECT s.sync_no INTO cur FROM offering_source s WHERE s.region = NEW.region;
    IF TG_OP = 'INSERT' THEN
        NEW.sync_no := cur;
        NEW.first_seen := now();
        NEW.updated_at := now();
        NEW.withdrawn_at := NULL;
        RETURN NEW;
    END IF;
    NEW.first_seen := OLD.first_seen;
    IF NEW.sync_no IS DISTINCT FROM cur THEN
        NEW.sync_no := OLD.sync_no;
    END IF;
    IF NEW.withdrawn_at IS NOT NULL THEN
        NEW.withdrawn_at := coalesce(OLD.withdrawn_at, now());
    END IF;
    IF (to_jsonb(NEW) - ARRAY['updated_at', 'sync_no', 'withdrawn_at'])
           IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['updated_at', 'sync_no', 'withdrawn_at'])
       OR (NEW.withdrawn_at IS NULL) <> (OLD.withdrawn_at IS NULL) THEN
        NEW.updated_at := now();
    ELSE
        NEW.updated_at := OLD.updated_at;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER offering_owned BEFORE INSERT OR UPDATE ON offering
    FOR EACH ROW EXECUTE FUNCTION offering_owned();

-- A source's sync number only counts up by one (offering_sync_begin); its
-- times are now; its item count is what the current sync stored.
CREATE FUNCTION offering_source_owned() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    IF trusted_writer() THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        NEW.sync_no := 0;
        NEW.synced_at := NULL;
        NEW.checked_at := NULL;
        NEW.items := 0;
        RETURN NEW;
    END IF;
    NEW.sync_no := OLD.sync_no + CASE WHEN NEW.sync_no > OLD.sync_no THEN 1 ELSE 0 END;
    IF NEW.synced_at IS DISTINCT FROM OLD.synced_at THEN
        NEW.synced_at := now();
    END IF;
    IF NEW.checked_at IS DISTINCT FROM OLD.checked_at THEN
        NEW.checked_at := now();
    END IF;
    IF NEW.items IS DISTINCT FROM OLD.items THEN
        SELECT count(*) INTO NEW.items FROM offering o
         WHERE o.region = NEW.region AND o.sync_no = NEW.sync_no;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER offering_source_owned BEFORE INSERT OR UPDATE ON offering_source
    FOR EACH ROW EXECUTE FUNCTION offering_source_owned();
