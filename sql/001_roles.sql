-- 001_roles: the owner role and the group roles that carry all privileges.
-- Roles are cluster-wide, so every statement here is idempotent.
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['loket_owner', 'loket_advisor', 'loket_central',
                             'loket_supervisor', 'loket_editor', 'loket_admin']
    LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN NOSUPERUSER NOBYPASSRLS', r);
        END IF;
    END LOOP;
END
$$;

COMMENT ON ROLE loket_owner IS 'loket: owns every table; never logs in';
COMMENT ON ROLE loket_advisor IS 'loket: advisor at a vindplaats';
COMMENT ON ROLE loket_central IS 'loket: advisor at the central advice point';
COMMENT ON ROLE loket_supervisor IS 'loket: supervisor, reads the region, no contact details';
COMMENT ON ROLE loket_editor IS 'loket: knowledge editor';
COMMENT ON ROLE loket_admin IS 'loket: maintains reference data and advisors';

ALTER SCHEMA loket OWNER TO loket_owner;
GRANT USAGE ON SCHEMA loket
    TO loket_advisor, loket_central, loket_supervisor, loket_editor, loket_admin;
