-- national.sql: after 00_codes, what `loket db seed --national` loads into
-- a national reporting database (doc/national.md): the demo's national
-- analyst, national_demo.  For demo and test clusters only, as
-- 03_demo_roles.  The regions, their municipalities and their summaries
-- come from the regions' publications, never from a seed.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'national_demo') THEN
        CREATE ROLE national_demo LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE
            NOREPLICATION;
    END IF;
    IF NOT pg_has_role('national_demo', 'loket_national', 'MEMBER') THEN
        GRANT loket_national TO national_demo;
    END IF;
    COMMENT ON ROLE national_demo IS 'loket demo role; not for production';
END
$$;
