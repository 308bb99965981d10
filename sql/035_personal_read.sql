-- 035_personal_read.sql: every read of a client's contact details is
-- logged, and a privacy officer reads the log (issue 16, parts 1 and 2).
--
-- Advisors and the central point read client rows under client_read (005):
-- their own organisation's, and those referred to them with consent.  Any
-- SELECT gave the name, e-mail and phone without a trace.  Now:
--   - they keep SELECT on the columns that say whether there are details
--     and under what consent (kind, sector, size, consent and anonymisation
--     dates), but not on the personal ones: name, email, phone,
--     company_name, kvk_number;
--   - they read those through client_contact(question, context), a definer
--     function that checks the same rights as client_read and, in the same
--     statement, appends a row to personal_read: who (the role and the
--     login), when, which question, and from which screen or command;
--   - personal_read is append-only for everyone but the owner (whose purge,
--     after region.personal_read_months, default 60, is for part 3);
--   - loket_privacy, the region's privacy officer (functionaris
--     gegevensbescherming, demo role privacy_demo), reads the log of its
--     region through privacy_log(); it reads no case text and no details.
-- A read-only transaction (a standby) cannot log, so it cannot read contact
-- details either: client_contact fails there.

-- Roles are cluster-wide: created as in 001, before the owner takes over.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'loket_privacy') THEN
        CREATE ROLE loket_privacy NOLOGIN NOSUPERUSER NOBYPASSRLS;
    END IF;
END
$$;
COMMENT ON ROLE loket_privacy IS
    'loket: privacy officer of a region; reads who read contact details, not the details';

SET LOCAL ROLE loket_owner;

GRANT USAGE ON SCHEMA loket TO loket_privacy;
GRANT SELECT ON region, organisation, advisor TO loket_privacy;   -- reference data, as 005

ALTER TABLE advisor DROP CONSTRAINT advisor_roles_known,
    ADD CONSTRAINT advisor_roles_known CHECK (
        cardinality(roles) >= 1
        AND roles <@ ARRAY['advisor', 'central', 'supervisor', 'editor', 'admin', 'privacy']);

ALTER TABLE region ADD COLUMN personal_read_months integer NOT NULL DEFAULT 60
    CHECK (personal_read_months BETWEEN 12 AND 240);
COMMENT ON COLUMN region.personal_read_months IS
    'loket: months the log of reads of contact details is kept (default 5 years)';

CREATE TABLE personal_read (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT now(),
    role_name    name NOT NULL,      -- the role that read (invoker_role(): --as too)
    login        name NOT NULL,      -- the login role of the session
    region       code NOT NULL REFERENCES region,
    organisation code,               -- the reader's organisation
    question_id  uuid NOT NULL REFERENCES question,
    context      text NOT NULL CHECK (context IN ('screen', 'case show', 'referral list',
                                                   'mail', 'export'))
);
CREATE INDEX personal_read_question ON personal_read (question_id, at);
CREATE INDEX personal_read_role ON personal_read (region, role_name, at);
REVOKE ALL ON personal_read FROM PUBLIC;
ALTER TABLE personal_read ENABLE ROW LEVEL SECURITY;
ALTER TABLE personal_read FORCE ROW LEVEL SECURITY;
CREATE POLICY personal_read_owner_add ON personal_read FOR INSERT TO loket_owner
    WITH CHECK (true);
CREATE POLICY personal_read_owner_read ON personal_read FOR SELECT TO loket_owner
    USING (true);
COMMENT ON TABLE personal_read IS
    'loket: every read of a client''s contact details (client_contact); append-only';

-- Nobody changes or empties the log; the owner's purge after the region's
-- period (part 3) is the one exception.
CREATE FUNCTION personal_read_append_only() RETURNS trigger
    LANGUAGE plpgsql SET search_path = loket, pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'DELETE' AND trusted_writer() THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the log of reads of contact details is append-only'
        USING ERRCODE = '42501';
END $$;
CREATE TRIGGER personal_read_append_only BEFORE UPDATE OR DELETE ON personal_read
    FOR EACH ROW EXECUTE FUNCTION personal_read_append_only();
CREATE TRIGGER personal_read_no_truncate BEFORE TRUNCATE ON personal_read
    FOR EACH STATEMENT EXECUTE FUNCTION personal_read_append_only();
REVOKE EXECUTE ON FUNCTION personal_read_append_only() FROM PUBLIC;

-- The owner reads client rows only in the definer functions below.
CREATE POLICY client_owner_read ON client FOR SELECT TO loket_owner USING (true);

-- The personal columns are no longer readable by plain SELECT.
REVOKE SELECT ON client FROM loket_advisor, loket_central;
GRANT SELECT (question_id, organisation, kind, sector, company_size, consent_at, consent_by,
              anonymised_at, created_at, updated_at, version)
    ON client TO loket_advisor, loket_central;

-- A question's client's contact details, for the calling advisor or central
-- point, as client_read gives them (its own organisation's client, or one
-- referred to it with consent and not withdrawn), and not after
-- anonymisation; the read is logged in the same statement, one row per
-- call that finds details.  p_context says where they are shown.
CREATE FUNCTION client_contact(p_question uuid, p_context text)
    RETURNS TABLE (name text, phone text, email text, company_name text, kvk_number text)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    v_org text := question_search_org();
BEGIN
    IF p_context IS NULL OR p_context NOT IN ('screen', 'case show', 'referral list', 'mail',
                                              'export') THEN
        RAISE EXCEPTION 'client_contact: unknown context %', p_context USING ERRCODE = '22023';
    END IF;
    IF v_org IS NULL THEN
        RETURN;   -- no advisor or central point: no details
    END IF;
    RETURN QUERY
    WITH c AS MATERIALIZED (
        SELECT x.question_id, x.name, x.phone, x.email, x.company_name, x.kvk_number
          FROM client x
         WHERE x.question_id = p_question AND x.anonymised_at IS NULL
           AND num_nonnulls(x.name, x.phone, x.email, x.company_name, x.kvk_number) > 0
           AND (x.organisation = v_org
                OR EXISTS (SELECT 1 FROM referral r
                            WHERE r.question_id = x.question_id AND r.to_org = v_org
                              AND r.consent_contact AND r.status <> 'withdrawn'))
    ), logged AS (
        INSERT INTO personal_read (role_name, login, region, organisation, question_id, context)
        SELECT invoker_role(), session_user, q.region, v_org, c.question_id, p_context
          FROM c JOIN question q ON q.id = c.question_id
        RETURNING personal_read.question_id
    )
    SELECT c.name, c.phone, c.email, c.company_name, c.kvk_number::text FROM c;
END $$;
REVOKE EXECUTE ON FUNCTION client_contact(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION client_contact(uuid, text) TO loket_advisor, loket_central;

-- The region of the privacy officer calling, or an error.  As
-- supervisor_region (015): only for functions that run as the owner.
CREATE FUNCTION privacy_region() RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    v text;
BEGIN
    SELECT a.region INTO v FROM advisor a
     WHERE a.role_name = session_user AND a.active AND 'privacy' = ANY (a.roles)
       AND pg_has_role(session_user, 'loket_privacy', 'MEMBER');
    IF v IS NULL THEN
        RAISE EXCEPTION 'only the privacy officer reads the log of reads'
            USING ERRCODE = '42501';
    END IF;
    RETURN v;
END $$;
REVOKE EXECUTE ON FUNCTION privacy_region() FROM PUBLIC;

-- The log of the privacy officer's region, newest first: of one question
-- (by number), of one role, or both, since a day (NULL: all).  What was read
-- is not given, only by whom, when, where and about which question.
CREATE FUNCTION privacy_log(p_number integer, p_role text, p_since date)
    RETURNS TABLE (at timestamptz, role_name text, display_name text, organisation text,
                   question integer, context text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    v_region text := privacy_region();
BEGIN
    IF p_number IS NULL AND p_role IS NULL THEN
        RAISE EXCEPTION 'privacy log: give a question or a role' USING ERRCODE = '22023';
    END IF;
    RETURN QUERY
    SELECT l.at, l.role_name::text, a.display_name::text, l.organisation::text, q.number,
           l.context
      FROM personal_read l
      JOIN question q ON q.id = l.question_id
      LEFT JOIN advisor a ON a.role_name = l.role_name
     WHERE l.region = v_region
       AND (p_number IS NULL OR q.number = p_number)
       AND (p_role IS NULL OR l.role_name = p_role)
       AND (p_since IS NULL OR l.at >= nl_start(p_since))
     ORDER BY l.at DESC, l.id DESC;
END $$;
REVOKE EXECUTE ON FUNCTION privacy_log(integer, text, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION privacy_log(integer, text, date) TO loket_privacy;

-- The summary mail reads the address and name through client_contact, so
-- it is logged; volatile now (it writes the log).
DO $$
DECLARE
    v_def text := pg_get_functiondef('loket.mail_summary(integer)'::regprocedure);
    v_from constant text := 'SELECT * INTO c FROM client x WHERE x.question_id = q.id;';
    v_to constant text := concat_ws(E'\n',
        'SELECT x.question_id, x.consent_at, x.anonymised_at',
        '      INTO c.question_id, c.consent_at, c.anonymised_at',
        '      FROM client x WHERE x.question_id = q.id;',
        '    IF FOUND AND c.consent_at IS NOT NULL AND c.anonymised_at IS NULL THEN',
        '        SELECT k.name, k.email, k.company_name INTO c.name, c.email, c.company_name',
        '          FROM client_contact(q.id, ''mail'') k;',
        '        FOUND := true;',
        '    END IF;');
BEGIN
    IF position(v_from IN v_def) = 0 THEN
        RAISE EXCEPTION '035: mail_summary does not read the client as 020 wrote it';
    END IF;
    EXECUTE replace(replace(v_def, v_from, v_to), ' STABLE', ' VOLATILE');
END $$;
