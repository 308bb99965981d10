-- 025_history_notify: history that only the database writes, notifications
-- that say nothing but "look again", and a database in which login roles
-- make no objects of their own.
--
-- History.  question_event was written with the advisor's own rights,
-- allowed by a policy that asked pg_trigger_depth() > 0.  Any trigger
-- passed that test, including one an advisor put on a temporary table of
-- their own, which wrote an event dated 2020 with made-up detail on a
-- question they could see.  Now every history trigger is a SECURITY DEFINER
-- function owned by loket_owner, the only role with an insert policy on
-- question_event, and login roles have no INSERT on it at all.  EXECUTE on
-- those functions is revoked from PUBLIC, so nobody can put them on a table
-- of their own either.  The triggers that also move a question's status keep
-- that part in a separate function with the caller's rights, so the
-- question's own policies still decide it.
--
-- Notifications.  referral_notify sent the referral's id on the channel
-- 'loket_' || organisation, and any role may LISTEN on any channel: an
-- advisor of one organisation saw every referral of another.  Now each
-- organisation has a channel name nobody can guess (notify_channel, read
-- only by the owner), a screen listens through notify_listen() without
-- learning the name, and the payload is empty: the listener reads what
-- changed under its own policies.
--
-- The database.  restrict_database() takes TEMPORARY and CREATE on the
-- database and CREATE on schema public away from PUBLIC; loket db migrate
-- runs it after every run, because neither CREATE DATABASE ... TEMPLATE nor
-- a restore of a dump carries a database's privileges over.
SET LOCAL ROLE loket_owner;

-- The role the caller acts as, for use inside a SECURITY DEFINER function,
-- where current_user is the owner: the role set with SET ROLE, else the
-- login role.  SET ROLE accepts only roles one is a member of, and login
-- roles are not members of each other, so this is the current_user of the
-- statement that fired the trigger.
CREATE FUNCTION invoker_role() RETURNS name
    LANGUAGE sql STABLE SET search_path = loket, pg_catalog, pg_temp AS $$
    SELECT CASE WHEN current_setting('role') = 'none' THEN session_user
                ELSE current_setting('role')::name END
    $$;

-- History ---------------------------------------------------------------------

DROP POLICY question_event_insert ON question_event;
REVOKE INSERT ON question_event FROM PUBLIC, loket_advisor, loket_central;
CREATE POLICY question_event_write ON question_event FOR INSERT TO loket_owner
    WITH CHECK (true);

-- created: the actor and time are the question's own (set by the server).
ALTER FUNCTION question_log_insert() SECURITY DEFINER;

CREATE OR REPLACE FUNCTION question_log_update() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO question_event (question_id, actor, kind, detail)
    SELECT n.id, invoker_role(), 'updated', d.diff
    FROM new_rows n
    JOIN old_rows o ON o.id = n.id
    CROSS JOIN LATERAL (SELECT row_diff(to_jsonb(o), to_jsonb(n)) AS diff) d
    WHERE d.diff <> '{}';
    RETURN NULL;
END $$;

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
        WHERE d.diff <> '{}';
    END IF;
    RETURN NULL;
END $$;

-- Information given: the history (definer) and the status (the caller's
-- rights) in two triggers, history first as before.
CREATE FUNCTION info_given_log() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO question_event (question_id, at, actor, kind, detail)
    SELECT n.question_id, n.given_at, n.given_by, 'info_given',
           jsonb_build_object('knowledge_version_id', n.knowledge_version_id,
                              'item_id', v.item_id, 'version_no', v.version_no,
                              'title', v.title)
    FROM new_rows n JOIN knowledge_version v ON v.id = n.knowledge_version_id;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION info_given_after_insert() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    UPDATE question q SET status = 'informed'
    WHERE q.status = 'open' AND q.id IN (SELECT question_id FROM new_rows);
    RETURN NULL;
END $$;
DROP TRIGGER info_given_after_insert ON info_given;
CREATE TRIGGER info_given_history AFTER INSERT ON info_given
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION info_given_log();
CREATE TRIGGER info_given_status AFTER INSERT ON info_given
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION info_given_after_insert();

-- Referrals: the same split; referral_log_insert fires before
-- referral_status (triggers fire in name order).
CREATE OR REPLACE FUNCTION referral_log() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO question_event (question_id, at, actor, kind, detail)
        SELECT n.question_id, n.created_at, n.created_by, 'referral_created',
               jsonb_build_object('referral_id', n.id, 'to_org', n.to_org,
                                  'reason', n.reason, 'consent_contact', n.consent_contact)
        FROM new_rows n;
    ELSE
        INSERT INTO question_event (question_id, actor, kind, detail)
        SELECT n.question_id, invoker_role(), 'referral_updated',
               jsonb_build_object('referral_id', n.id) || d.diff
        FROM new_rows n
        JOIN old_rows o ON o.id = n.id
        CROSS JOIN LATERAL (SELECT row_diff(to_jsonb(o), to_jsonb(n)) AS diff) d
        WHERE d.diff <> '{}';
    END IF;
    RETURN NULL;
END $$;
CREATE FUNCTION referral_after_insert() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    UPDATE question q SET status = 'referred'
    WHERE q.status IN ('open', 'informed') AND q.id IN (SELECT question_id FROM new_rows);
    RETURN NULL;
END $$;
CREATE TRIGGER referral_status AFTER INSERT ON referral
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION referral_after_insert();

-- Offerings given: the same split as information given.
CREATE FUNCTION offering_given_log() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO question_event (question_id, at, actor, kind, detail)
    SELECT n.question_id, n.given_at, n.given_by, 'offering_given',
           jsonb_build_object('offering', n.offering_id, 'offering_id', o.offering_id,
                              'name', o.name, 'link', o.link)
      FROM new_rows n JOIN offering o ON o.id = n.offering_id;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION offering_given_after_insert() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    UPDATE question q SET status = 'informed'
     WHERE q.status = 'open' AND q.id IN (SELECT question_id FROM new_rows);
    RETURN NULL;
END $$;
DROP TRIGGER offering_given_after_insert ON offering_given;
CREATE TRIGGER offering_given_history AFTER INSERT ON offering_given
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION offering_given_log();
CREATE TRIGGER offering_given_status AFTER INSERT ON offering_given
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION offering_given_after_insert();

-- Mail: the actor and time are the mail_log row's (its policy checks sent_by).
ALTER FUNCTION mail_log_after_insert() SECURITY DEFINER;

-- Notifications ---------------------------------------------------------------

-- One channel per organisation, a name nobody can guess (122 random bits).
-- Only the owner reads it: the notify trigger and notify_listen().
CREATE TABLE notify_channel (
    organisation code PRIMARY KEY REFERENCES organisation,
    channel      text NOT NULL UNIQUE
                 DEFAULT 'loket_' || replace(gen_random_uuid()::text, '-', ''),
    created_at   timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE notify_channel ENABLE ROW LEVEL SECURITY;
ALTER TABLE notify_channel FORCE ROW LEVEL SECURITY;
CREATE POLICY notify_channel_owner ON notify_channel TO loket_owner
    USING (true) WITH CHECK (true);
INSERT INTO notify_channel (organisation) SELECT code FROM organisation;

-- The channel of an organisation, made when it has none yet (organisations
-- added after this migration, a channel deleted to change it).
CREATE FUNCTION org_channel(p_org text) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    ch text;
BEGIN
    SELECT channel INTO ch FROM notify_channel WHERE organisation = p_org;
    IF NOT FOUND THEN
        INSERT INTO notify_channel (organisation) VALUES (p_org)
        ON CONFLICT (organisation) DO NOTHING;
        SELECT channel INTO ch FROM notify_channel WHERE organisation = p_org;
    END IF;
    RETURN ch;
END $$;

-- Both organisations hear that something changed; nothing more.
CREATE OR REPLACE FUNCTION referral_notify() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    PERFORM pg_notify(org_channel(NEW.to_org), '');
    PERFORM pg_notify(org_channel(NEW.from_org), '');
    RETURN NULL;
END $$;

-- LISTEN on the channel of the caller's own organisation (its active
-- advisor row); false, and no LISTEN, for a role without one.  Listening
-- belongs to the session: call it again after a reconnect.
CREATE FUNCTION notify_listen() RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    org text;
BEGIN
    SELECT organisation INTO org FROM advisor WHERE role_name = invoker_role() AND active;
    IF org IS NULL THEN
        RETURN false;
    END IF;
    EXECUTE format('LISTEN %I', org_channel(org));
    RETURN true;
END $$;

REVOKE EXECUTE ON FUNCTION
    question_log_insert(), question_log_update(), client_log(), info_given_log(),
    referral_log(), offering_given_log(), mail_log_after_insert(), org_channel(text),
    referral_notify(), notify_listen()
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION notify_listen()
    TO loket_advisor, loket_central, loket_supervisor, loket_editor, loket_admin;

-- The database ------------------------------------------------------------------

-- Login roles need CONNECT and nothing else on the database: no temporary
-- objects (whose triggers and functions run with the caller's rights inside
-- loket's statements) and no schemas or tables of their own.  Run by
-- loket db migrate as the database's owner or a superuser.
CREATE FUNCTION restrict_database() RETURNS void
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO PUBLIC', current_database());
    IF EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'public') THEN
        REVOKE CREATE ON SCHEMA public FROM PUBLIC;
    END IF;
END $$;
REVOKE EXECUTE ON FUNCTION restrict_database() FROM PUBLIC;

RESET ROLE;
SELECT restrict_database();
