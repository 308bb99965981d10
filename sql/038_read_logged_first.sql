-- 038_read_logged_first.sql: a read of contact details is logged in a
-- committed transaction before the details are given (issue 16; found by
-- an attack with psql as kvk_demo).
--
-- 035's client_contact() appended to personal_read in the statement that
-- returned the details.  An advisor in psql could read inside BEGIN ...
-- ROLLBACK (or ROLLBACK TO SAVEPOINT): the details reached the client and
-- the log row went with the rollback.  Now, as the supervisors' figures do
-- (026: supervisor_ask, supervisor_logged):
--   - client_contact_ask(questions, where) logs the reads first, one row per
--     question whose details the caller may read; loket runs it on its own,
--     so it commits before anything is read;
--   - client_contact(question, where) gives the details only when such a
--     row of the caller, for that question and place, was committed in the
--     last 10 minutes (pg_xact_status of the row's transaction); otherwise
--     nothing.  A rolled-back ask leaves no row, so no details.
-- Also from the same walk:
--   - "export" is the privacy officer's (privacy_export logs it itself); an
--     advisor may no longer log a read as one;
--   - privacy_log gives the login role as well (an administrator acting
--     with --as as an advisor is told apart from the advisor);
--   - export and erasure find a phone number however it was written
--     (+31 6..., 0031 6..., 06...).
SET LOCAL ROLE loket_owner;

ALTER TABLE personal_read ADD COLUMN xact xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX personal_read_recent ON personal_read (question_id, role_name, context, at DESC);

-- The question's client's details the caller may read: own organisation,
-- or referred to it with consent and not withdrawn; not anonymised.
CREATE FUNCTION client_readable(p_question uuid, p_org text) RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path = loket, pg_catalog, pg_temp AS $$
    SELECT p_org IS NOT NULL AND EXISTS (
        SELECT 1 FROM client x
         WHERE x.question_id = p_question AND x.anonymised_at IS NULL
           AND num_nonnulls(x.name, x.phone, x.email, x.company_name, x.kvk_number) > 0
           AND (x.organisation = p_org
                OR EXISTS (SELECT 1 FROM referral r
                            WHERE r.question_id = x.question_id AND r.to_org = p_org
                              AND r.consent_contact AND r.status <> 'withdrawn')))
$$;
REVOKE EXECUTE ON FUNCTION client_readable(uuid, text) FROM PUBLIC;

-- Log the reads of questions p_questions' details from p_where; how many
-- were logged (the others' details the caller may not read).  Run it on its
-- own: the details are given only once its transaction has committed.
CREATE FUNCTION client_contact_ask(p_questions uuid[], p_where text) RETURNS integer
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    v_org text := question_search_org();
    v_n integer;
BEGIN
    IF p_where IS NULL OR p_where NOT IN ('screen', 'case show', 'referral list', 'mail') THEN
        RAISE EXCEPTION 'client_contact_ask: unknown place %', p_where USING ERRCODE = '22023';
    END IF;
    INSERT INTO personal_read (role_name, login, region, organisation, question_id, context)
    SELECT invoker_role(), session_user, q.region, v_org, q.id, p_where
      FROM question q
     WHERE q.id IN (SELECT DISTINCT x FROM unnest(p_questions) AS x)
       AND client_readable(q.id, v_org);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN v_n;
END $$;
REVOKE EXECUTE ON FUNCTION client_contact_ask(uuid[], text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION client_contact_ask(uuid[], text) TO loket_advisor, loket_central;

-- As in 035, but only after a committed ask; it writes nothing itself.
CREATE OR REPLACE FUNCTION client_contact(p_question uuid, p_context text)
    RETURNS TABLE (name text, phone text, email text, company_name text, kvk_number text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    v_org text := question_search_org();
BEGIN
    IF p_context IS NULL OR p_context NOT IN ('screen', 'case show', 'referral list', 'mail') THEN
        RAISE EXCEPTION 'client_contact: unknown place %', p_context USING ERRCODE = '22023';
    END IF;
    IF NOT client_readable(p_question, v_org)
       OR NOT EXISTS (SELECT 1 FROM personal_read l
                       WHERE l.question_id = p_question AND l.role_name = invoker_role()
                         AND l.context = p_context
                         AND l.at > clock_timestamp() - interval '10 minutes'
                         AND pg_xact_status(l.xact) = 'committed') THEN
        RETURN;   -- not the caller's to read, or the read was not logged first
    END IF;
    RETURN QUERY
    SELECT x.name, x.phone, x.email, x.company_name, x.kvk_number::text
      FROM client x WHERE x.question_id = p_question;
END $$;

-- The summary mail's read: asked first by loket too (035's mail_summary
-- reads through client_contact; it is no longer volatile for that).
ALTER FUNCTION mail_summary(integer) STABLE;

-- privacy_log with the login role beside the role.
DROP FUNCTION privacy_log(integer, text, date);
CREATE FUNCTION privacy_log(p_number integer, p_role text, p_since date)
    RETURNS TABLE (at timestamptz, role_name text, login text, display_name text,
                   organisation text, question integer, context text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = loket, pg_catalog, pg_temp AS $$
DECLARE
    v_region text := privacy_region();
BEGIN
    IF p_number IS NULL AND p_role IS NULL THEN
        RAISE EXCEPTION 'privacy log: give a question or a role' USING ERRCODE = '22023';
    END IF;
    RETURN QUERY
    SELECT l.at, l.role_name::text, l.login::text, a.display_name::text, l.organisation::text,
           q.number, l.context
      FROM personal_read l
      JOIN question q ON q.id = l.question_id
      LEFT JOIN advisor a ON a.role_name = l.role_name
     WHERE l.region = v_region
       AND (p_number IS NULL OR q.number = p_number)
       AND (p_role IS NULL OR l.role_name = p_role OR l.login = p_role)
       AND (p_since IS NULL OR l.at >= nl_start(p_since))
     ORDER BY l.at DESC, l.id DESC;
END $$;
REVOKE EXECUTE ON FUNCTION privacy_log(integer, text, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION privacy_log(integer, text, date) TO loket_privacy;

-- A Dutch phone number in one form: digits only, +31 and 0031 as 0.
CREATE FUNCTION phone_canonical(p text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
    SELECT regexp_replace(regexp_replace(p, '[^0-9+]', '', 'g'), '^(\+31|0031)', '0')
$$;

-- As in 037, with the phone numbers compared in that form.
CREATE OR REPLACE FUNCTION privacy_person(p_region text, p_email text, p_phone text,
                                          p_number integer)
    RETURNS uuid[]
    LANGUAGE sql STABLE
    SET search_path = loket, pg_catalog, pg_temp AS $$
    WITH seed AS (
        SELECT c.email, phone_canonical(c.phone) AS phone, c.question_id
          FROM client c JOIN question q ON q.id = c.question_id
         WHERE q.region = p_region
           AND (q.number = p_number OR lower(c.email) = lower(p_email)
                OR phone_canonical(c.phone) = phone_canonical(p_phone))
        UNION
        SELECT NULL, NULL, q.id FROM question q
         WHERE q.region = p_region AND q.number = p_number
    )
    SELECT coalesce(array_agg(DISTINCT x.id), '{}')
      FROM (SELECT s.question_id AS id FROM seed s
            UNION
            SELECT c.question_id FROM client c JOIN question q ON q.id = c.question_id
              JOIN seed s ON lower(c.email) = lower(s.email)
                          OR phone_canonical(c.phone) = s.phone
             WHERE q.region = p_region) x
$$;
